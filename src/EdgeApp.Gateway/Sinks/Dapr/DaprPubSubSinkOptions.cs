using System.ComponentModel.DataAnnotations;

namespace EdgeApp.Gateway.Sinks.Dapr;

/// <summary>A sink of type DaprPubSub: forwards events to another Dapr pub/sub component through the sidecar.</summary>
public sealed class DaprPubSubSinkOptions
{
    /// <summary>The component to publish to, e.g. an Event Hubs pub/sub named <c>remote-pub-sub</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "PubSubName must be set.")]
    public string PubSubName { get; set; } = "remote-pub-sub";

    [Required(AllowEmptyStrings = false, ErrorMessage = "Topic must be set.")]
    public string Topic { get; set; } = "telemetry";

    public bool BulkPublish { get; set; } = true;
}
