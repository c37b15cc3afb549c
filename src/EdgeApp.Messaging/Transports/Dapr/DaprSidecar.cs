using Microsoft.Extensions.Configuration;

namespace EdgeApp.Messaging.Transports.Dapr;

/// <summary>Where the sidecar listens and how to authenticate to it, from options or the variables Dapr injects.</summary>
internal static class DaprSidecar
{
    public const string HttpClientName = "dapr-sidecar";
    public const string ApiTokenHeader = "dapr-api-token";
    public const string MessagingSystem = "dapr";

    public static Uri ResolveEndpoint(DaprOptions options, IConfiguration configuration)
    {
        if (options.HttpEndpoint is not null)
        {
            return options.HttpEndpoint;
        }

        var endpoint = configuration["DAPR_HTTP_ENDPOINT"];
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            return new Uri(endpoint);
        }

        var port = configuration["DAPR_HTTP_PORT"];
        return new Uri($"http://127.0.0.1:{(string.IsNullOrWhiteSpace(port) ? "3500" : port)}");
    }

    public static string? ResolveApiToken(DaprOptions options, IConfiguration configuration) =>
        options.ApiToken ?? configuration["DAPR_API_TOKEN"];
}
