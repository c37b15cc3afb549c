using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Endpoints;
using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Expressions;

/// <summary>
/// Resolves manifest placeholders: <c>{r.bindings.b.host|port|targetPort|url|scheme|hostAndPort}</c> become the
/// Service's DNS name and port, <c>{r.connectionString}</c> and <c>{v.value}</c> are rebuilt from their parts, and
/// <c>{p.value}</c> of a secret parameter becomes a Secret reference. Errors name the resource and field that
/// holds the expression.
/// </summary>
public sealed class ExpressionResolver(
    AspireManifest manifest,
    EndpointTable endpoints,
    IReadOnlyDictionary<string, string> parameterValues,
    GenerationLog log)
{
    private readonly Stack<string> _resolving = new();
    private (string Owner, string Field) _origin;
    private readonly Dictionary<string, ParameterInput> _secretsUsed = new(StringComparer.Ordinal);

    /// <summary>The secret parameters that some resolved value refers to, in first-use order.</summary>
    public IReadOnlyCollection<ParameterInput> SecretsUsed => _secretsUsed.Values;

    public ResolvedValue Resolve(string template, string owner, string field)
    {
        if (_resolving.Count == 0)
        {
            _origin = (owner, field);
        }

        var values = new List<ResolvedValue>();
        foreach (var segment in ExpressionTemplate.Parse(template))
        {
            values.Add(segment switch
            {
                ExpressionTemplate.Text text => ResolvedValue.Literal(text.Value),
                ExpressionTemplate.Placeholder placeholder => ResolvePlaceholder(placeholder, owner, field),
                _ => throw new InvalidOperationException(),
            });
        }

        return ResolvedValue.Concat(values);
    }

    private ResolvedValue ResolvePlaceholder(ExpressionTemplate.Placeholder placeholder, string owner, string field)
    {
        var target = manifest.Find(placeholder.Resource)
            ?? throw new DeployException(owner, field, $"expression {placeholder} refers to resource '{placeholder.Resource}', which the manifest does not contain");

        var key = placeholder.ToString();
        if (_resolving.Contains(key))
        {
            throw new DeployException(owner, field, $"expression {placeholder} refers to itself ({string.Join(" -> ", _resolving.Reverse())} -> {key})");
        }

        _resolving.Push(key);
        try
        {
            return ResolveProperty(target, placeholder, owner, field);
        }
        finally
        {
            _resolving.Pop();
        }
    }

    private ResolvedValue ResolveProperty(ManifestResource target, ExpressionTemplate.Placeholder placeholder, string owner, string field)
    {
        var path = placeholder.Path;
        DeployException Unresolvable(string why) =>
            new(owner, field, $"cannot resolve {placeholder}: {why}");

        switch (target.Type, path)
        {
            case (ResourceTypes.ParameterV0, ["value"]):
                return target.Value is { } parameterValue
                    ? Resolve(parameterValue, target.Name, "value")
                    : ResolveParameterInput(target, "value");
            case (ResourceTypes.ParameterV0, ["inputs", var input]):
                return ResolveParameterInput(target, input);
            case (ResourceTypes.ParameterV0, ["connectionString"]):
                return target.ConnectionString is { } parameterConnection
                    ? Resolve(parameterConnection, target.Name, "connectionString")
                    : ResolveParameterInput(target, "value");
            case (ResourceTypes.ValueV0, ["value" or "connectionString"]):
                var valueTemplate = target.GetString(path[0])
                    ?? throw Unresolvable($"resource '{target.Name}' has no '{path[0]}'");
                return Resolve(valueTemplate, target.Name, path[0]);
            case (ResourceTypes.AnnotatedString, ["value"]):
                return ResolveAnnotatedString(target);
            case (_, ["connectionString"]) when target.ConnectionString is { } connectionString:
                return Resolve(connectionString, target.Name, "connectionString");
            case (_, ["bindings", var binding, var property]):
                var endpoint = endpoints.Find(target.Name, binding)
                    ?? throw Unresolvable($"resource '{target.Name}' ({target.Type}) has no binding '{binding}'");
                return ResolveBinding(endpoint, property, Unresolvable);
            default:
                throw Unresolvable($"resource '{target.Name}' ({target.Type}) has no property '{string.Join('.', path)}' that can be resolved");
        }
    }

    private static ResolvedValue ResolveBinding(ServiceEndpoint endpoint, string property, Func<string, DeployException> unresolvable)
    {
        if (!endpoint.Served)
        {
            return ResolvedValue.Omitted(
                $"binding '{endpoint.Binding}' of '{endpoint.Resource}' is not served in the cluster (TLS ends at the ingress; Dapr mTLS secures pod-to-pod traffic)");
        }

        var text = property switch
        {
            "host" => endpoint.Host,
            "port" => endpoint.ServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "targetPort" => endpoint.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "url" => endpoint.Url,
            "scheme" => endpoint.Scheme,
            "hostAndPort" => $"{endpoint.Host}:{endpoint.ServicePort}",
            "protocol" => endpoint.Protocol,
            "transport" => endpoint.Scheme,
            _ => throw unresolvable($"bindings have no property '{property}' (host, port, targetPort, url, scheme, hostAndPort)"),
        };
        return new ResolvedValue([new LiteralPart(text)], new HashSet<ServiceEndpoint> { endpoint }, new HashSet<string>());
    }

    private ResolvedValue ResolveParameterInput(ManifestResource parameter, string input)
    {
        var spec = ParameterInput.From(parameter, input);
        if (spec.LivesInSecret)
        {
            if (parameterValues.ContainsKey(parameter.Name))
            {
                log.Warn(parameter.Name, "is a secret: the --parameter value is ignored (secrets are never written into the output)");
            }

            _secretsUsed.TryAdd(parameter.Name, spec);
            return new ResolvedValue([new SecretPart(parameter.Name, KubernetesName.Of(parameter.Name), "value")], new HashSet<ServiceEndpoint>(), new HashSet<string> { parameter.Name });
        }

        var value = parameterValues.GetValueOrDefault(parameter.Name) ?? spec.DefaultValue
            ?? throw new DeployException(parameter.Name, $"inputs.{input}",
                $"missing parameter value (needed by resource '{_origin.Owner}', field '{_origin.Field}'): pass --parameter {parameter.Name}=VALUE or give it a default in the AppHost");
        return ResolvedValue.Literal(value).WithParameter(parameter.Name);
    }

    private ResolvedValue ResolveAnnotatedString(ManifestResource annotated)
    {
        var value = Resolve(annotated.Value ?? "", annotated.Name, "value");
        var filter = annotated.GetString("filter");
        switch (filter)
        {
            case null or "":
                return value;
            case "uri":
                foreach (var secret in value.Secrets)
                {
                    var generated = _secretsUsed.GetValueOrDefault(secret.Parameter)?.Generate;
                    if (generated is not { IsUriSafe: true })
                    {
                        log.Warn(annotated.Name, $"the uri filter cannot be applied to secret '{secret.Parameter}' inside the cluster: its value must be URI-safe");
                    }
                }

                return value.MapLiterals(Uri.EscapeDataString);
            default:
                throw new DeployException(annotated.Name, "filter", $"unknown filter '{filter}' (known: uri)");
        }
    }
}
