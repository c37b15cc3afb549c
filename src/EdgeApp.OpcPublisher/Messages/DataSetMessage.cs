using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcPublisher.Messages;

/// <summary>One value of one node, as it goes into a message.</summary>
/// <param name="FieldName">The payload key in PubSub messages (DataSetFieldId, DisplayName or the Id).</param>
/// <param name="NodeId">The node as configured (NodeId in Samples messages).</param>
/// <param name="DisplayName">The configured DisplayName, if any (Samples messages).</param>
public readonly record struct FieldValue(string FieldName, string NodeId, string? DisplayName, DataValue Value);

/// <summary>What every message of a data set writer says about where it comes from.</summary>
/// <param name="Group">The writer group: the CloudEvent subject, so sinks partition per source.</param>
/// <param name="WriterName">DataSetWriterName (PubSub) and ExtensionFields.DataSetWriterId (Samples).</param>
/// <param name="WriterId">The numeric DataSetWriterId of PubSub messages.</param>
/// <param name="Namespaces">The server's namespace table, for NodeId values written with their namespace URI.</param>
public sealed record WriterInfo(
    string PublisherId,
    string EndpointUrl,
    string? ApplicationUri,
    string Group,
    string WriterName,
    ushort WriterId,
    uint MajorVersion,
    uint MinorVersion,
    IReadOnlyDictionary<string, string>? ExtensionFields,
    IReadOnlyList<string>? Namespaces);

/// <summary>
/// The values of one writer from one notification (or one heartbeat tick), before encoding. A key frame holds every
/// node's last value; a delta frame only what changed.
/// </summary>
/// <param name="NotificationSequence">The OPC UA NotificationMessage sequence number the values came with (Samples' SequenceNumber).</param>
public sealed record DataSetMessage(WriterInfo Writer, uint SequenceNumber, bool KeyFrame, DateTime Timestamp, IReadOnlyList<FieldValue> Fields, uint NotificationSequence);

/// <summary>An encoded message ready for the spool and the broker: its id is the CloudEvent id, its group the subject.</summary>
public sealed record EncodedMessage(string Id, string Subject, string Type, DateTimeOffset Time, ReadOnlyMemory<byte> Data, int Values)
{
    /// <summary>W3C traceparent of the activity that received the values (carried through the spool).</summary>
    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }
}

/// <summary>CloudEvent types of the two formats; OPC Publisher's content types are given in the README.</summary>
public static class MessageTypes
{
    /// <summary>OPC UA Part 14 JSON network message (OPC Publisher content type <c>application/x-network-message-json-v1</c>).</summary>
    public const string PubSub = "org.opcfoundation.ua-data.v1";

    /// <summary>OPC Publisher Samples (content type <c>application/x-monitored-item-json-v1</c>).</summary>
    public const string Samples = "com.microsoft.opcpublisher.samples.v1";
}
