using System.Security.Cryptography;
using System.Text;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Expressions;
using EdgeApp.Deploy.Kubernetes;
using k8s.Models;

namespace EdgeApp.Deploy.Workloads;

/// <summary>
/// How a workload's resolved settings reach its container: plain values in a ConfigMap (<c>envFrom</c>), a value
/// that is exactly one secret as a <c>secretKeyRef</c>, and a value that mixes text and secrets (a connection
/// string) rebuilt by Kubernetes from <c>$(VAR)</c> references to secret-backed variables. No secret value is
/// ever written.
/// </summary>
public sealed class ContainerEnvironment
{
    private readonly Dictionary<(string Secret, string Key), string> _secretVariables = [];
    private readonly List<V1EnvVar> _secretEnv = [];
    private readonly List<V1EnvVar> _env = [];

    private ContainerEnvironment()
    {
    }

    /// <summary>Plain settings, in manifest order, for the workload's ConfigMap.</summary>
    public Dictionary<string, string> ConfigData { get; } = [];

    /// <summary>Secret-backed variables first, so the <c>$(VAR)</c> references after them expand.</summary>
    public List<V1EnvVar> Env => [.. _secretEnv, .. _env];

    public List<string> Args { get; } = [];

    /// <summary>A short hash of the ConfigMap data; a change rolls the pods.</summary>
    public string ConfigHash =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', ConfigData.Select(p => $"{p.Key}={p.Value}")))))[..16];

    public static ContainerEnvironment Build(
        string resource,
        IReadOnlyList<ResolvedSetting> env,
        IReadOnlyList<ResolvedValue> args,
        IEnumerable<KeyValuePair<string, string>> defaults,
        GenerationLog log)
    {
        var result = new ContainerEnvironment();
        foreach (var setting in env)
        {
            result.Add(resource, setting, log);
        }

        foreach (var (name, value) in defaults)
        {
            if (env.All(e => e.Name != name))
            {
                result.ConfigData[name] = value;
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].OmitReason is { } reason)
            {
                throw new DeployException(resource, $"args[{i}]", reason);
            }

            result.Args.Add(result.Expand(args[i]));
        }

        return result;
    }

    private void Add(string resource, ResolvedSetting setting, GenerationLog log)
    {
        var value = setting.Value;
        if (value.OmitReason is { } reason)
        {
            log.Warn(resource, $"env.{setting.Name} is left out: {reason}");
        }
        else if (!value.HasSecrets)
        {
            ConfigData[setting.Name] = value.Text;
        }
        else if (value.SingleSecret is { } secret)
        {
            _env.Add(SecretVariable(setting.Name, secret));
        }
        else
        {
            _env.Add(new V1EnvVar { Name = setting.Name, Value = Expand(value) });
        }
    }

    /// <summary>Text with <c>$(</c> escaped, secrets as references to variables that Kubernetes fills from Secrets.</summary>
    private string Expand(ResolvedValue value)
    {
        var text = new StringBuilder();
        foreach (var part in value.Parts)
        {
            switch (part)
            {
                case LiteralPart literal:
                    text.Append(literal.Text.Replace("$(", "$$(", StringComparison.Ordinal));
                    break;
                case SecretPart secret:
                    text.Append("$(").Append(SecretVariableFor(secret)).Append(')');
                    break;
            }
        }

        return text.ToString();
    }

    private string SecretVariableFor(SecretPart secret)
    {
        if (!_secretVariables.TryGetValue((secret.SecretName, secret.Key), out var name))
        {
            name = "EDGEAPP_SECRET_" + KubernetesName.EnvironmentName(secret.Key == "value" ? secret.SecretName : $"{secret.SecretName}_{secret.Key}");
            _secretVariables[(secret.SecretName, secret.Key)] = name;
            _secretEnv.Add(SecretVariable(name, secret));
        }

        return name;
    }

    private static V1EnvVar SecretVariable(string name, SecretPart secret) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource
        {
            SecretKeyRef = new V1SecretKeySelector { Name = secret.SecretName, Key = secret.Key },
        },
    };
}
