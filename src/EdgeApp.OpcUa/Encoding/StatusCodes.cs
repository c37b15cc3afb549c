using System.Collections.Frozen;
using System.Reflection;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>The status codes this stack produces or interprets (values from Part 6 Annex A, StatusCode.csv).</summary>
public static class StatusCodes
{
    public static readonly StatusCode Good = new(0);
    public static readonly StatusCode Uncertain = new(0x4000_0000);
    public static readonly StatusCode Bad = new(0x8000_0000);
    public static readonly StatusCode BadUnexpectedError = new(0x8001_0000);
    public static readonly StatusCode BadInternalError = new(0x8002_0000);
    public static readonly StatusCode BadOutOfMemory = new(0x8003_0000);
    public static readonly StatusCode BadResourceUnavailable = new(0x8004_0000);
    public static readonly StatusCode BadCommunicationError = new(0x8005_0000);
    public static readonly StatusCode BadEncodingError = new(0x8006_0000);
    public static readonly StatusCode BadDecodingError = new(0x8007_0000);
    public static readonly StatusCode BadEncodingLimitsExceeded = new(0x8008_0000);
    public static readonly StatusCode BadUnknownResponse = new(0x8009_0000);
    public static readonly StatusCode BadTimeout = new(0x800A_0000);
    public static readonly StatusCode BadServiceUnsupported = new(0x800B_0000);
    public static readonly StatusCode BadShutdown = new(0x800C_0000);
    public static readonly StatusCode BadServerNotConnected = new(0x800D_0000);
    public static readonly StatusCode BadServerHalted = new(0x800E_0000);
    public static readonly StatusCode BadNothingToDo = new(0x800F_0000);
    public static readonly StatusCode BadTooManyOperations = new(0x8010_0000);
    public static readonly StatusCode BadDataTypeIdUnknown = new(0x8011_0000);
    public static readonly StatusCode BadCertificateInvalid = new(0x8012_0000);
    public static readonly StatusCode BadSecurityChecksFailed = new(0x8013_0000);
    public static readonly StatusCode BadUserAccessDenied = new(0x801F_0000);
    public static readonly StatusCode BadIdentityTokenInvalid = new(0x8020_0000);
    public static readonly StatusCode BadIdentityTokenRejected = new(0x8021_0000);
    public static readonly StatusCode BadSecureChannelIdInvalid = new(0x8022_0000);
    public static readonly StatusCode BadNonceInvalid = new(0x8024_0000);
    public static readonly StatusCode BadSessionIdInvalid = new(0x8025_0000);
    public static readonly StatusCode BadSessionClosed = new(0x8026_0000);
    public static readonly StatusCode BadSessionNotActivated = new(0x8027_0000);
    public static readonly StatusCode BadRequestHeaderInvalid = new(0x802A_0000);
    public static readonly StatusCode BadTimestampsToReturnInvalid = new(0x802B_0000);
    public static readonly StatusCode BadRequestCancelledByClient = new(0x802C_0000);
    public static readonly StatusCode BadNodeIdInvalid = new(0x8033_0000);
    public static readonly StatusCode BadNodeIdUnknown = new(0x8034_0000);
    public static readonly StatusCode BadAttributeIdInvalid = new(0x8035_0000);
    public static readonly StatusCode BadIndexRangeInvalid = new(0x8036_0000);
    public static readonly StatusCode BadIndexRangeNoData = new(0x8037_0000);
    public static readonly StatusCode BadDataEncodingInvalid = new(0x8038_0000);
    public static readonly StatusCode BadDataEncodingUnsupported = new(0x8039_0000);
    public static readonly StatusCode BadNotReadable = new(0x803A_0000);
    public static readonly StatusCode BadNotWritable = new(0x803B_0000);
    public static readonly StatusCode BadOutOfRange = new(0x803C_0000);
    public static readonly StatusCode BadNotSupported = new(0x803D_0000);
    public static readonly StatusCode BadNotFound = new(0x803E_0000);
    public static readonly StatusCode BadNotImplemented = new(0x8040_0000);
    public static readonly StatusCode BadContinuationPointInvalid = new(0x804A_0000);
    public static readonly StatusCode BadNoContinuationPoints = new(0x804B_0000);
    public static readonly StatusCode BadReferenceTypeIdInvalid = new(0x804C_0000);
    public static readonly StatusCode BadBrowseDirectionInvalid = new(0x804D_0000);
    public static readonly StatusCode BadNodeNotInView = new(0x804E_0000);
    public static readonly StatusCode BadRequestTypeInvalid = new(0x8053_0000);
    public static readonly StatusCode BadSecurityModeRejected = new(0x8054_0000);
    public static readonly StatusCode BadSecurityPolicyRejected = new(0x8055_0000);
    public static readonly StatusCode BadTooManySessions = new(0x8056_0000);
    public static readonly StatusCode BadBrowseNameInvalid = new(0x8060_0000);
    public static readonly StatusCode BadViewIdUnknown = new(0x806B_0000);
    public static readonly StatusCode BadNoMatch = new(0x806F_0000);
    public static readonly StatusCode BadWriteNotSupported = new(0x8073_0000);
    public static readonly StatusCode BadTypeMismatch = new(0x8074_0000);
    public static readonly StatusCode BadMethodInvalid = new(0x8075_0000);
    public static readonly StatusCode BadArgumentsMissing = new(0x8076_0000);
    public static readonly StatusCode BadTcpMessageTypeInvalid = new(0x807E_0000);
    public static readonly StatusCode BadTcpSecureChannelUnknown = new(0x807F_0000);
    public static readonly StatusCode BadTcpMessageTooLarge = new(0x8080_0000);
    public static readonly StatusCode BadTcpNotEnoughResources = new(0x8081_0000);
    public static readonly StatusCode BadTcpInternalError = new(0x8082_0000);
    public static readonly StatusCode BadTcpEndpointUrlInvalid = new(0x8083_0000);
    public static readonly StatusCode BadRequestInterrupted = new(0x8084_0000);
    public static readonly StatusCode BadRequestTimeout = new(0x8085_0000);
    public static readonly StatusCode BadSecureChannelClosed = new(0x8086_0000);
    public static readonly StatusCode BadSecureChannelTokenUnknown = new(0x8087_0000);
    public static readonly StatusCode BadSequenceNumberInvalid = new(0x8088_0000);
    public static readonly StatusCode BadNotConnected = new(0x808A_0000);
    public static readonly StatusCode BadInvalidArgument = new(0x80AB_0000);
    public static readonly StatusCode BadConnectionClosed = new(0x80AE_0000);
    public static readonly StatusCode BadInvalidState = new(0x80AF_0000);
    public static readonly StatusCode BadEndOfStream = new(0x80B0_0000);
    public static readonly StatusCode BadMaxConnectionsReached = new(0x80B7_0000);
    public static readonly StatusCode BadRequestTooLarge = new(0x80B8_0000);
    public static readonly StatusCode BadResponseTooLarge = new(0x80B9_0000);
    public static readonly StatusCode BadProtocolVersionUnsupported = new(0x80BE_0000);
    public static readonly StatusCode BadTooManyArguments = new(0x80E5_0000);
    public static readonly StatusCode BadSecurityModeInsufficient = new(0x80E6_0000);
    public static readonly StatusCode BadNotExecutable = new(0x8111_0000);

    public static readonly StatusCode GoodSubscriptionTransferred = new(0x002D_0000);
    public static readonly StatusCode BadSubscriptionIdInvalid = new(0x8028_0000);
    public static readonly StatusCode BadMonitoringModeInvalid = new(0x8041_0000);
    public static readonly StatusCode BadMonitoredItemIdInvalid = new(0x8042_0000);
    public static readonly StatusCode BadMonitoredItemFilterInvalid = new(0x8043_0000);
    public static readonly StatusCode BadMonitoredItemFilterUnsupported = new(0x8044_0000);
    public static readonly StatusCode BadFilterNotAllowed = new(0x8045_0000);
    public static readonly StatusCode BadTooManySubscriptions = new(0x8077_0000);
    public static readonly StatusCode BadTooManyPublishRequests = new(0x8078_0000);
    public static readonly StatusCode BadNoSubscription = new(0x8079_0000);
    public static readonly StatusCode BadSequenceNumberUnknown = new(0x807A_0000);
    public static readonly StatusCode BadMessageNotAvailable = new(0x807B_0000);
    public static readonly StatusCode BadDeadbandFilterInvalid = new(0x808E_0000);
    public static readonly StatusCode BadTooManyMonitoredItems = new(0x80DB_0000);

    /// <summary>InfoType DataValue (bit 10) plus Overflow (bit 7): a monitored item's queue dropped values (Part 4 §7.39).</summary>
    public const uint OverflowBits = 0x0000_0480;

    private static readonly FrozenDictionary<uint, string> Names = typeof(StatusCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(StatusCode))
        .ToFrozenDictionary(f => ((StatusCode)f.GetValue(null)!).Code, f => f.Name);

    /// <summary>The symbolic name of a well-known code (info bits ignored), or null.</summary>
    public static string? NameOf(StatusCode code) =>
        Names.TryGetValue(code.Code, out var exact) ? exact : Names.GetValueOrDefault(code.Code & 0xFFFF_0000);
}
