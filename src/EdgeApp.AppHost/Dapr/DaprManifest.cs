using Aspire.Hosting.Publishing;

namespace EdgeApp.AppHost.Dapr;

/// <summary>
/// The manifest entries for Dapr, shaped like CommunityToolkit's (<c>dapr.component.v0</c>, <c>dapr.v0</c>) but
/// complete: the component carries its type, version and metadata, so generated Kubernetes output is valid.
/// </summary>
internal static class DaprManifest
{
    public static void WriteComponent(ManifestPublishingContext context, DaprPubSubComponent component)
    {
        var writer = context.Writer;
        writer.WriteString("type", "dapr.component.v0");
        writer.WriteStartObject("daprComponent");
        writer.WriteString("type", DaprPubSubComponent.ComponentType);
        writer.WriteString("version", DaprPubSubComponent.ComponentVersion);
        writer.WriteStartObject("metadata");
        foreach (var (key, value) in component.Metadata)
        {
            writer.WriteString(key, value.ValueExpression);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteSidecar(ManifestPublishingContext context, DaprSidecarResource sidecar)
    {
        var writer = context.Writer;
        writer.WriteString("type", "dapr.v0");
        writer.WriteStartObject("dapr");
        writer.WriteString("application", sidecar.AppId);
        writer.WriteString("appId", sidecar.AppId);
        writer.WriteStartArray("components");
        writer.WriteStringValue(sidecar.PubSub.Name);
        writer.WriteEndArray();
        writer.WriteString("appProtocol", "http");
        writer.WriteString("config", "tracing");
        writer.WriteBoolean("enableMetrics", true);
        writer.WriteBoolean("logAsJson", true);
        writer.WriteEndObject();
    }
}
