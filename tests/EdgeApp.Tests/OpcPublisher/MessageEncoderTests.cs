using System.Text;
using System.Text.Json;
using EdgeApp.OpcPublisher;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.Tests.OpcPublisher;

/// <summary>Golden messages in OPC Publisher's two layouts (messageformats.md of OPC Publisher 2.9).</summary>
public sealed class MessageEncoderTests
{
    private static readonly DateTime Received = new(2026, 11, 30, 12, 52, 42, 137, DateTimeKind.Utc);
    private static readonly DateTime Source = new(2026, 11, 30, 12, 52, 42, 132, DateTimeKind.Utc);
    private static readonly DateTime Server = new(2026, 11, 30, 12, 52, 42, 133, DateTimeKind.Utc);

    private static WriterInfo Writer(IReadOnlyDictionary<string, string>? extensions = null) => new(
        "edge-1", "opc.tcp://opcplc:50000/", "urn:OpcPlc:opcplc", "line-1", "1000", 1, 1, 0, extensions, null);

    private static DataSetMessage Message(bool keyFrame, params FieldValue[] fields) => new(Writer(), 27, keyFrame, Received, fields, 120);

    private static readonly FieldValue StepUp = new(
        "StepUp", "nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp", "StepUp", new DataValue(new Variant(21713u), StatusCodes.Good, Source, Server));

    private static readonly FieldValue BadNode = new(
        "BadFastUInt1", "nsu=http://microsoft.com/Opc/OpcPlc/;s=BadFastUInt1", null, new DataValue(Variant.Null, new StatusCode(0x8031_0000), Source, Server));

    [Fact]
    public void Samples_OneObjectPerValue_InOpcPublishersLayout()
    {
        var message = MessageEncoders.EncodeSamples([Message(false, StepUp)], "id-1", asArray: false);

        Assert.Equal(
            """{"NodeId":"nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp","EndpointUrl":"opc.tcp://opcplc:50000/","ApplicationUri":"urn:OpcPlc:opcplc","DisplayName":"StepUp","Timestamp":"2026-11-30T12:52:42.137Z","Value":{"Value":21713,"SourceTimestamp":"2026-11-30T12:52:42.132Z","ServerTimestamp":"2026-11-30T12:52:42.133Z"},"SequenceNumber":120,"ExtensionFields":{"PublisherId":"edge-1","DataSetWriterId":"1000"}}""",
            Encoding.UTF8.GetString(message.Data.Span));
        Assert.Equal("id-1", message.Id);
        Assert.Equal("line-1", message.Subject);
        Assert.Equal(MessageTypes.Samples, message.Type);
        Assert.Equal(1, message.Values);
        Assert.Equal(Received, message.Time.UtcDateTime);
    }

    [Fact]
    public void Samples_Batched_AreAnArray_AndABadValueCarriesItsStatusCode()
    {
        var extensions = new Dictionary<string, string> { ["AssetId"] = "5", ["Site"] = "\"Basel\"" };
        var message = MessageEncoders.EncodeSamples([new DataSetMessage(Writer(extensions), 1, false, Received, [StepUp, BadNode], 121)], "id-2", asArray: true);

        Assert.Equal(
            """[{"NodeId":"nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp","EndpointUrl":"opc.tcp://opcplc:50000/","ApplicationUri":"urn:OpcPlc:opcplc","DisplayName":"StepUp","Timestamp":"2026-11-30T12:52:42.137Z","Value":{"Value":21713,"SourceTimestamp":"2026-11-30T12:52:42.132Z","ServerTimestamp":"2026-11-30T12:52:42.133Z"},"SequenceNumber":121,"ExtensionFields":{"PublisherId":"edge-1","DataSetWriterId":"1000","AssetId":"5","Site":"Basel"}},"""
            + """{"NodeId":"nsu=http://microsoft.com/Opc/OpcPlc/;s=BadFastUInt1","EndpointUrl":"opc.tcp://opcplc:50000/","ApplicationUri":"urn:OpcPlc:opcplc","Timestamp":"2026-11-30T12:52:42.137Z","Value":{"StatusCode":{"Code":2150694912,"Symbol":"BadNoCommunication"},"SourceTimestamp":"2026-11-30T12:52:42.132Z","ServerTimestamp":"2026-11-30T12:52:42.133Z"},"SequenceNumber":121,"ExtensionFields":{"PublisherId":"edge-1","DataSetWriterId":"1000","AssetId":"5","Site":"Basel"}}]""",
            Encoding.UTF8.GetString(message.Data.Span));
        Assert.Equal(2, message.Values);
    }

    [Fact]
    public void PubSub_IsAUaDataNetworkMessage_WithDataSetMessagesPerWriter()
    {
        var message = MessageEncoders.EncodePubSub([Message(false, StepUp, BadNode)], "27");

        Assert.Equal(
            """{"MessageId":"27","MessageType":"ua-data","PublisherId":"edge-1","DataSetWriterGroup":"line-1","Messages":[{"DataSetWriterId":1,"DataSetWriterName":"1000","SequenceNumber":27,"MetaDataVersion":{"MajorVersion":1,"MinorVersion":0},"MessageType":"ua-deltaframe","Timestamp":"2026-11-30T12:52:42.137Z","Payload":{"StepUp":{"Value":21713,"SourceTimestamp":"2026-11-30T12:52:42.132Z","ServerTimestamp":"2026-11-30T12:52:42.133Z"},"BadFastUInt1":{"StatusCode":{"Code":2150694912,"Symbol":"BadNoCommunication"},"SourceTimestamp":"2026-11-30T12:52:42.132Z","ServerTimestamp":"2026-11-30T12:52:42.133Z"}}}]}""",
            Encoding.UTF8.GetString(message.Data.Span));
        Assert.Equal(MessageTypes.PubSub, message.Type);
        Assert.Equal("27", message.Id);
        Assert.Equal(2, message.Values);
    }

    [Fact]
    public void PubSub_KeyFramesCarryTheExtensionFields()
    {
        var writer = Writer(new Dictionary<string, string> { ["AssetId"] = "5" });
        var message = MessageEncoders.EncodePubSub([new DataSetMessage(writer, 1, true, Received, [StepUp], 1), new DataSetMessage(writer, 2, false, Received, [StepUp], 2)], "m");

        using var json = JsonDocument.Parse(message.Data);
        var messages = json.RootElement.GetProperty("Messages");
        Assert.Equal("ua-keyframe", messages[0].GetProperty("MessageType").GetString());
        Assert.Equal(5, messages[0].GetProperty("Payload").GetProperty("AssetId").GetProperty("Value").GetInt32());
        Assert.Equal("ua-deltaframe", messages[1].GetProperty("MessageType").GetString());
        Assert.False(messages[1].GetProperty("Payload").TryGetProperty("AssetId", out _));
    }

    [Fact]
    public void Encode_GivesEveryMessageANewTimeOrderedId()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => MessageEncoders.Encode(MessagingMode.PubSub, [Message(false, StepUp)]).Id).ToList();

        Assert.Equal(100, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _)));
    }
}
