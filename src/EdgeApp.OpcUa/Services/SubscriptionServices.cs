using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>CreateSubscription (Part 4 §5.13.2).</summary>
public sealed class CreateSubscriptionRequest : IServiceRequest, IEncodeable<CreateSubscriptionRequest>
{
    public static uint EncodingId => 787;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    /// <summary>Milliseconds.</summary>
    public double RequestedPublishingInterval { get; set; }

    public uint RequestedLifetimeCount { get; set; }

    public uint RequestedMaxKeepAliveCount { get; set; }

    /// <summary>0 means no limit.</summary>
    public uint MaxNotificationsPerPublish { get; set; }

    public bool PublishingEnabled { get; set; } = true;

    public byte Priority { get; set; }

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteDouble(RequestedPublishingInterval);
        w.WriteUInt32(RequestedLifetimeCount);
        w.WriteUInt32(RequestedMaxKeepAliveCount);
        w.WriteUInt32(MaxNotificationsPerPublish);
        w.WriteBoolean(PublishingEnabled);
        w.WriteByte(Priority);
    }

    public static CreateSubscriptionRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        RequestedPublishingInterval = r.ReadDouble(),
        RequestedLifetimeCount = r.ReadUInt32(),
        RequestedMaxKeepAliveCount = r.ReadUInt32(),
        MaxNotificationsPerPublish = r.ReadUInt32(),
        PublishingEnabled = r.ReadBoolean(),
        Priority = r.ReadByte(),
    };
}

/// <summary>Part 4 §5.13.2.</summary>
public sealed class CreateSubscriptionResponse : IServiceResponse, IEncodeable<CreateSubscriptionResponse>
{
    public static uint EncodingId => 790;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public uint SubscriptionId { get; set; }

    public double RevisedPublishingInterval { get; set; }

    public uint RevisedLifetimeCount { get; set; }

    public uint RevisedMaxKeepAliveCount { get; set; }

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteUInt32(SubscriptionId);
        w.WriteDouble(RevisedPublishingInterval);
        w.WriteUInt32(RevisedLifetimeCount);
        w.WriteUInt32(RevisedMaxKeepAliveCount);
    }

    public static CreateSubscriptionResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        SubscriptionId = r.ReadUInt32(),
        RevisedPublishingInterval = r.ReadDouble(),
        RevisedLifetimeCount = r.ReadUInt32(),
        RevisedMaxKeepAliveCount = r.ReadUInt32(),
    };
}

/// <summary>ModifySubscription (Part 4 §5.13.3).</summary>
public sealed class ModifySubscriptionRequest : IServiceRequest, IEncodeable<ModifySubscriptionRequest>
{
    public static uint EncodingId => 793;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public uint SubscriptionId { get; set; }

    public double RequestedPublishingInterval { get; set; }

    public uint RequestedLifetimeCount { get; set; }

    public uint RequestedMaxKeepAliveCount { get; set; }

    public uint MaxNotificationsPerPublish { get; set; }

    public byte Priority { get; set; }

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteUInt32(SubscriptionId);
        w.WriteDouble(RequestedPublishingInterval);
        w.WriteUInt32(RequestedLifetimeCount);
        w.WriteUInt32(RequestedMaxKeepAliveCount);
        w.WriteUInt32(MaxNotificationsPerPublish);
        w.WriteByte(Priority);
    }

    public static ModifySubscriptionRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        SubscriptionId = r.ReadUInt32(),
        RequestedPublishingInterval = r.ReadDouble(),
        RequestedLifetimeCount = r.ReadUInt32(),
        RequestedMaxKeepAliveCount = r.ReadUInt32(),
        MaxNotificationsPerPublish = r.ReadUInt32(),
        Priority = r.ReadByte(),
    };
}

/// <summary>Part 4 §5.13.3.</summary>
public sealed class ModifySubscriptionResponse : IServiceResponse, IEncodeable<ModifySubscriptionResponse>
{
    public static uint EncodingId => 796;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public double RevisedPublishingInterval { get; set; }

    public uint RevisedLifetimeCount { get; set; }

    public uint RevisedMaxKeepAliveCount { get; set; }

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteDouble(RevisedPublishingInterval);
        w.WriteUInt32(RevisedLifetimeCount);
        w.WriteUInt32(RevisedMaxKeepAliveCount);
    }

    public static ModifySubscriptionResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        RevisedPublishingInterval = r.ReadDouble(),
        RevisedLifetimeCount = r.ReadUInt32(),
        RevisedMaxKeepAliveCount = r.ReadUInt32(),
    };
}

/// <summary>SetPublishingMode (Part 4 §5.13.4).</summary>
public sealed class SetPublishingModeRequest : IServiceRequest, IEncodeable<SetPublishingModeRequest>
{
    public static uint EncodingId => 799;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public bool PublishingEnabled { get; set; }

    public uint[] SubscriptionIds { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteBoolean(PublishingEnabled);
        w.WriteUInt32Array(SubscriptionIds);
    }

    public static SetPublishingModeRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        PublishingEnabled = r.ReadBoolean(),
        SubscriptionIds = r.ReadUInt32Array(),
    };
}

/// <summary>A response carrying one status per subscription or item (SetPublishingMode, DeleteSubscriptions).</summary>
public abstract class StatusResultsResponse : IServiceResponse
{
    public abstract NodeId BinaryEncodingId { get; }

    public ResponseHeader ResponseHeader { get; set; } = new();

    public StatusCode[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteStatusCodeArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    protected static T DecodeInto<T>(T response, ref UaReader r)
        where T : StatusResultsResponse
    {
        response.ResponseHeader = ResponseHeader.Decode(ref r);
        response.Results = r.ReadStatusCodeArray();
        response.DiagnosticInfos = r.ReadDiagnosticInfoArray();
        return response;
    }
}

/// <summary>Part 4 §5.13.4.</summary>
public sealed class SetPublishingModeResponse : StatusResultsResponse, IEncodeable<SetPublishingModeResponse>
{
    public static uint EncodingId => 802;

    public override NodeId BinaryEncodingId => EncodingId;

    public static SetPublishingModeResponse Decode(ref UaReader r) => DecodeInto(new SetPublishingModeResponse(), ref r);
}

/// <summary>DeleteSubscriptions (Part 4 §5.13.8).</summary>
public sealed class DeleteSubscriptionsRequest : IServiceRequest, IEncodeable<DeleteSubscriptionsRequest>
{
    public static uint EncodingId => 847;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public uint[] SubscriptionIds { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteUInt32Array(SubscriptionIds);
    }

    public static DeleteSubscriptionsRequest Decode(ref UaReader r) =>
        new() { RequestHeader = RequestHeader.Decode(ref r), SubscriptionIds = r.ReadUInt32Array() };
}

/// <summary>Part 4 §5.13.8.</summary>
public sealed class DeleteSubscriptionsResponse : StatusResultsResponse, IEncodeable<DeleteSubscriptionsResponse>
{
    public static uint EncodingId => 850;

    public override NodeId BinaryEncodingId => EncodingId;

    public static DeleteSubscriptionsResponse Decode(ref UaReader r) => DecodeInto(new DeleteSubscriptionsResponse(), ref r);
}

/// <summary>Part 4 §5.13.7.</summary>
public sealed class TransferResult : IEncodeable<TransferResult>
{
    public static uint EncodingId => 838;

    public NodeId BinaryEncodingId => EncodingId;

    public StatusCode StatusCode { get; set; }

    public uint[] AvailableSequenceNumbers { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        w.WriteStatusCode(StatusCode);
        w.WriteUInt32Array(AvailableSequenceNumbers);
    }

    public static TransferResult Decode(ref UaReader r) => new() { StatusCode = r.ReadStatusCode(), AvailableSequenceNumbers = r.ReadUInt32Array() };
}

/// <summary>TransferSubscriptions (Part 4 §5.13.7): moves subscriptions to the calling session.</summary>
public sealed class TransferSubscriptionsRequest : IServiceRequest, IEncodeable<TransferSubscriptionsRequest>
{
    public static uint EncodingId => 841;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public uint[] SubscriptionIds { get; set; } = [];

    public bool SendInitialValues { get; set; }

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteUInt32Array(SubscriptionIds);
        w.WriteBoolean(SendInitialValues);
    }

    public static TransferSubscriptionsRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        SubscriptionIds = r.ReadUInt32Array(),
        SendInitialValues = r.ReadBoolean(),
    };
}

/// <summary>Part 4 §5.13.7.</summary>
public sealed class TransferSubscriptionsResponse : IServiceResponse, IEncodeable<TransferSubscriptionsResponse>
{
    public static uint EncodingId => 844;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public TransferResult[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteEncodeableArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static TransferSubscriptionsResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadEncodeableArray<TransferResult>(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}
