using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>MonitoringMode (Part 4 §7.23).</summary>
public enum MonitoringMode
{
    Disabled = 0,
    Sampling = 1,
    Reporting = 2,
}

/// <summary>DataChangeTrigger (Part 4 §7.22.2): what counts as a change.</summary>
public enum DataChangeTrigger
{
    Status = 0,
    StatusValue = 1,
    StatusValueTimestamp = 2,
}

/// <summary>DeadbandType (Part 4 §7.22.2).</summary>
public enum DeadbandType : uint
{
    None = 0,
    Absolute = 1,
    Percent = 2,
}

/// <summary>DataChangeFilter (Part 4 §7.22.2): trigger plus an optional absolute or percent deadband.</summary>
public sealed record DataChangeFilter : IEncodeable<DataChangeFilter>
{
    public static uint EncodingId => 724;

    public NodeId BinaryEncodingId => EncodingId;

    public DataChangeTrigger Trigger { get; init; } = DataChangeTrigger.StatusValue;

    public DeadbandType DeadbandType { get; init; }

    /// <summary>Absolute: in the value's units. Percent: 0-100 of the EURange span.</summary>
    public double DeadbandValue { get; init; }

    public void Encode(ref UaWriter w)
    {
        w.WriteInt32((int)Trigger);
        w.WriteUInt32((uint)DeadbandType);
        w.WriteDouble(DeadbandValue);
    }

    public static DataChangeFilter Decode(ref UaReader r) => new()
    {
        Trigger = (DataChangeTrigger)r.ReadInt32(),
        DeadbandType = (DeadbandType)r.ReadUInt32(),
        DeadbandValue = r.ReadDouble(),
    };
}

/// <summary>MonitoringParameters (Part 4 §7.21).</summary>
public sealed class MonitoringParameters : IEncodeable<MonitoringParameters>
{
    public static uint EncodingId => 742;

    public NodeId BinaryEncodingId => EncodingId;

    public uint ClientHandle { get; set; }

    /// <summary>Milliseconds; -1 uses the subscription's publishing interval, 0 the fastest the server supports.</summary>
    public double SamplingInterval { get; set; } = -1;

    /// <summary>A <see cref="DataChangeFilter"/> or null.</summary>
    public ExtensionObject? Filter { get; set; }

    public uint QueueSize { get; set; } = 1;

    public bool DiscardOldest { get; set; } = true;

    public void Encode(ref UaWriter w)
    {
        w.WriteUInt32(ClientHandle);
        w.WriteDouble(SamplingInterval);
        w.WriteExtensionObject(Filter);
        w.WriteUInt32(QueueSize);
        w.WriteBoolean(DiscardOldest);
    }

    public static MonitoringParameters Decode(ref UaReader r) => new()
    {
        ClientHandle = r.ReadUInt32(),
        SamplingInterval = r.ReadDouble(),
        Filter = r.ReadExtensionObject(),
        QueueSize = r.ReadUInt32(),
        DiscardOldest = r.ReadBoolean(),
    };
}

/// <summary>Part 4 §5.12.2.</summary>
public sealed class MonitoredItemCreateRequest : IEncodeable<MonitoredItemCreateRequest>
{
    public static uint EncodingId => 745;

    public NodeId BinaryEncodingId => EncodingId;

    public ReadValueId ItemToMonitor { get; set; } = new();

    public MonitoringMode MonitoringMode { get; set; } = MonitoringMode.Reporting;

    public MonitoringParameters RequestedParameters { get; set; } = new();

    public void Encode(ref UaWriter w)
    {
        ItemToMonitor.Encode(ref w);
        w.WriteInt32((int)MonitoringMode);
        RequestedParameters.Encode(ref w);
    }

    public static MonitoredItemCreateRequest Decode(ref UaReader r) => new()
    {
        ItemToMonitor = ReadValueId.Decode(ref r),
        MonitoringMode = (MonitoringMode)r.ReadInt32(),
        RequestedParameters = MonitoringParameters.Decode(ref r),
    };
}

/// <summary>Part 4 §5.12.2.</summary>
public sealed class MonitoredItemCreateResult : IEncodeable<MonitoredItemCreateResult>
{
    public static uint EncodingId => 748;

    public NodeId BinaryEncodingId => EncodingId;

    public StatusCode StatusCode { get; set; }

    public uint MonitoredItemId { get; set; }

    public double RevisedSamplingInterval { get; set; }

    public uint RevisedQueueSize { get; set; }

    public ExtensionObject? FilterResult { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteStatusCode(StatusCode);
        w.WriteUInt32(MonitoredItemId);
        w.WriteDouble(RevisedSamplingInterval);
        w.WriteUInt32(RevisedQueueSize);
        w.WriteExtensionObject(FilterResult);
    }

    public static MonitoredItemCreateResult Decode(ref UaReader r) => new()
    {
        StatusCode = r.ReadStatusCode(),
        MonitoredItemId = r.ReadUInt32(),
        RevisedSamplingInterval = r.ReadDouble(),
        RevisedQueueSize = r.ReadUInt32(),
        FilterResult = r.ReadExtensionObject(),
    };
}

/// <summary>CreateMonitoredItems (Part 4 §5.12.2).</summary>
public sealed class CreateMonitoredItemsRequest : IServiceRequest, IEncodeable<CreateMonitoredItemsRequest>
{
    public static uint EncodingId => 751;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public uint SubscriptionId { get; set; }

    public TimestampsToReturn TimestampsToReturn { get; set; } = TimestampsToReturn.Both;

    public MonitoredItemCreateRequest[] ItemsToCreate { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteUInt32(SubscriptionId);
        w.WriteInt32((int)TimestampsToReturn);
        w.WriteEncodeableArray(ItemsToCreate);
    }

    public static CreateMonitoredItemsRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        SubscriptionId = r.ReadUInt32(),
        TimestampsToReturn = (TimestampsToReturn)r.ReadInt32(),
        ItemsToCreate = r.ReadEncodeableArray<MonitoredItemCreateRequest>(),
    };
}

/// <summary>Part 4 §5.12.2.</summary>
public sealed class CreateMonitoredItemsResponse : IServiceResponse, IEncodeable<CreateMonitoredItemsResponse>
{
    public static uint EncodingId => 754;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public MonitoredItemCreateResult[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteEncodeableArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static CreateMonitoredItemsResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadEncodeableArray<MonitoredItemCreateResult>(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}

/// <summary>Part 4 §5.12.3.</summary>
public sealed class MonitoredItemModifyRequest : IEncodeable<MonitoredItemModifyRequest>
{
    public static uint EncodingId => 757;

    public NodeId BinaryEncodingId => EncodingId;

    public uint MonitoredItemId { get; set; }

    public MonitoringParameters RequestedParameters { get; set; } = new();

    public void Encode(ref UaWriter w)
    {
        w.WriteUInt32(MonitoredItemId);
        RequestedParameters.Encode(ref w);
    }

    public static MonitoredItemModifyRequest Decode(ref UaReader r) =>
        new() { MonitoredItemId = r.ReadUInt32(), RequestedParameters = MonitoringParameters.Decode(ref r) };
}

/// <summary>Part 4 §5.12.3.</summary>
public sealed class MonitoredItemModifyResult : IEncodeable<MonitoredItemModifyResult>
{
    public static uint EncodingId => 760;

    public NodeId BinaryEncodingId => EncodingId;

    public StatusCode StatusCode { get; set; }

    public double RevisedSamplingInterval { get; set; }

    public uint RevisedQueueSize { get; set; }

    public ExtensionObject? FilterResult { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteStatusCode(StatusCode);
        w.WriteDouble(RevisedSamplingInterval);
        w.WriteUInt32(RevisedQueueSize);
        w.WriteExtensionObject(FilterResult);
    }

    public static MonitoredItemModifyResult Decode(ref UaReader r) => new()
    {
        StatusCode = r.ReadStatusCode(),
        RevisedSamplingInterval = r.ReadDouble(),
        RevisedQueueSize = r.ReadUInt32(),
        FilterResult = r.ReadExtensionObject(),
    };
}

/// <summary>ModifyMonitoredItems (Part 4 §5.12.3).</summary>
public sealed class ModifyMonitoredItemsRequest : IServiceRequest, IEncodeable<ModifyMonitoredItemsRequest>
{
    public static uint EncodingId => 763;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public uint SubscriptionId { get; set; }

    public TimestampsToReturn TimestampsToReturn { get; set; } = TimestampsToReturn.Both;

    public MonitoredItemModifyRequest[] ItemsToModify { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteUInt32(SubscriptionId);
        w.WriteInt32((int)TimestampsToReturn);
        w.WriteEncodeableArray(ItemsToModify);
    }

    public static ModifyMonitoredItemsRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        SubscriptionId = r.ReadUInt32(),
        TimestampsToReturn = (TimestampsToReturn)r.ReadInt32(),
        ItemsToModify = r.ReadEncodeableArray<MonitoredItemModifyRequest>(),
    };
}

/// <summary>Part 4 §5.12.3.</summary>
public sealed class ModifyMonitoredItemsResponse : IServiceResponse, IEncodeable<ModifyMonitoredItemsResponse>
{
    public static uint EncodingId => 766;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public MonitoredItemModifyResult[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteEncodeableArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static ModifyMonitoredItemsResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadEncodeableArray<MonitoredItemModifyResult>(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}

/// <summary>SetMonitoringMode (Part 4 §5.12.4).</summary>
public sealed class SetMonitoringModeRequest : IServiceRequest, IEncodeable<SetMonitoringModeRequest>
{
    public static uint EncodingId => 769;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public uint SubscriptionId { get; set; }

    public MonitoringMode MonitoringMode { get; set; }

    public uint[] MonitoredItemIds { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteUInt32(SubscriptionId);
        w.WriteInt32((int)MonitoringMode);
        w.WriteUInt32Array(MonitoredItemIds);
    }

    public static SetMonitoringModeRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        SubscriptionId = r.ReadUInt32(),
        MonitoringMode = (MonitoringMode)r.ReadInt32(),
        MonitoredItemIds = r.ReadUInt32Array(),
    };
}

/// <summary>Part 4 §5.12.4.</summary>
public sealed class SetMonitoringModeResponse : IServiceResponse, IEncodeable<SetMonitoringModeResponse>
{
    public static uint EncodingId => 772;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public StatusCode[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteStatusCodeArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static SetMonitoringModeResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadStatusCodeArray(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}

/// <summary>DeleteMonitoredItems (Part 4 §5.12.6).</summary>
public sealed class DeleteMonitoredItemsRequest : IServiceRequest, IEncodeable<DeleteMonitoredItemsRequest>
{
    public static uint EncodingId => 781;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public uint SubscriptionId { get; set; }

    public uint[] MonitoredItemIds { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteUInt32(SubscriptionId);
        w.WriteUInt32Array(MonitoredItemIds);
    }

    public static DeleteMonitoredItemsRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        SubscriptionId = r.ReadUInt32(),
        MonitoredItemIds = r.ReadUInt32Array(),
    };
}

/// <summary>Part 4 §5.12.6.</summary>
public sealed class DeleteMonitoredItemsResponse : IServiceResponse, IEncodeable<DeleteMonitoredItemsResponse>
{
    public static uint EncodingId => 784;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public StatusCode[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteStatusCodeArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static DeleteMonitoredItemsResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadStatusCodeArray(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}

/// <summary>Range (Part 8 §5.6.2): the value of an AnalogItem's EURange property, used by percent deadbands.</summary>
public sealed record Range(double Low, double High) : IEncodeable<Range>
{
    public static uint EncodingId => 886;

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(ref UaWriter w)
    {
        w.WriteDouble(Low);
        w.WriteDouble(High);
    }

    public static Range Decode(ref UaReader r)
    {
        var low = r.ReadDouble();
        return new Range(low, r.ReadDouble());
    }
}
