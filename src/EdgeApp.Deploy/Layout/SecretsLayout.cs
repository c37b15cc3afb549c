using System.Globalization;
using System.Text;
using EdgeApp.Deploy.Expressions;
using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Output;

namespace EdgeApp.Deploy.Layout;

/// <summary>
/// <c>secrets/create-secrets.sh</c>: the external side of the Secret references. It creates each Secret the
/// workloads reference (key <c>value</c>) in the cluster: generated parameters get a random value, the others
/// are read from an environment variable. Existing Secrets are kept, so a generated password stays stable.
/// No value ever enters the repository.
/// </summary>
public static class SecretsLayout
{
    public static IReadOnlyList<OutputFile> Build(GeneratorSettings settings, IReadOnlyList<ParameterInput> secrets)
    {
        var script = new StringBuilder();
        script.Append("#!/usr/bin/env bash\n");
        script.Append(ArcLayout.Comment(YamlRenderer.Header)).Append('\n');
        script.Append("#\n# Creates the Secrets that the generated workloads and Dapr components reference:\n");
        foreach (var secret in secrets)
        {
            var source = secret.Generate is null ? $"from ${EnvironmentVariable(secret)}" : "generated";
            script.Append(CultureInfo.InvariantCulture, $"#   {KubernetesName.Of(secret.Parameter)} (key 'value'): {source}\n");
        }

        script.Append("""
            # Existing Secrets are kept. Alternatives: SOPS-encrypted Secrets decrypted by Flux, or the External
            # Secrets Operator / Azure Key Vault provider creating Secrets with these names and key.
            #
            # Usage: NAMESPACE=<namespace> [VARIABLE=value ...] ./create-secrets.sh
            set -euo pipefail

            """);
        script.Append(CultureInfo.InvariantCulture, $"NAMESPACE=\"${{NAMESPACE:-{settings.Namespace}}}\"\n");
        script.Append("""

            kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"

            exists() { kubectl --namespace "$NAMESPACE" get secret "$1" >/dev/null 2>&1; }

            # The value goes through stdin, never the command line.
            create() { printf '%s' "$2" | kubectl --namespace "$NAMESPACE" create secret generic "$1" --from-file=value=/dev/stdin; }

            random_value() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1" || true; }

            """);
        foreach (var secret in secrets)
        {
            var name = KubernetesName.Of(secret.Parameter);
            script.Append('\n');
            if (secret.Generate is { } generate)
            {
                var length = Math.Max(generate.MinLength, 32);
                script.Append(CultureInfo.InvariantCulture, $"exists {name} || create {name} \"$(random_value {length} '{CharacterSet(generate)}')\"\n");
            }
            else
            {
                var variable = EnvironmentVariable(secret);
                script.Append(CultureInfo.InvariantCulture, $"exists {name} || create {name} \"${{{variable}:?set {variable} to the value of parameter '{secret.Parameter}'}}\"\n");
            }
        }

        script.Append("\necho \"Secrets ready in namespace $NAMESPACE\"\n");
        return [new OutputFile("secrets/create-secrets.sh", script.ToString(), Executable: true)];
    }

    public static string EnvironmentVariable(ParameterInput secret) => KubernetesName.EnvironmentName(secret.Parameter);

    private static string CharacterSet(GeneratedDefault generate)
    {
        var set = new StringBuilder();
        if (generate.Lower)
        {
            set.Append("a-z");
        }

        if (generate.Upper)
        {
            set.Append("A-Z");
        }

        if (generate.Numeric)
        {
            set.Append("0-9");
        }

        if (generate.Special)
        {
            set.Append("_.~");
        }

        return set.Length == 0 ? "A-Za-z0-9" : set.ToString();
    }
}
