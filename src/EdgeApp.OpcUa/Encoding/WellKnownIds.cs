namespace EdgeApp.OpcUa.Encoding;

// Numeric identifiers of namespace 0 (Part 6 Annex A, NodeIds.csv). NodeId converts implicitly from uint.

/// <summary>Reference types of namespace 0 (Part 3 §7, Part 5 §11).</summary>
public static class ReferenceTypeIds
{
    public const uint References = 31;
    public const uint NonHierarchicalReferences = 32;
    public const uint HierarchicalReferences = 33;
    public const uint HasChild = 34;
    public const uint Organizes = 35;
    public const uint HasEventSource = 36;
    public const uint HasModellingRule = 37;
    public const uint HasEncoding = 38;
    public const uint HasDescription = 39;
    public const uint HasTypeDefinition = 40;
    public const uint GeneratesEvent = 41;
    public const uint Aggregates = 44;
    public const uint HasSubtype = 45;
    public const uint HasProperty = 46;
    public const uint HasComponent = 47;
    public const uint HasNotifier = 48;
    public const uint HasOrderedComponent = 49;
}

/// <summary>Data types of namespace 0: the built-in types keep their type id; a few abstract and structured ones.</summary>
public static class DataTypeIds
{
    public const uint Structure = 22;
    public const uint BaseDataType = 24;
    public const uint Number = 26;
    public const uint Integer = 27;
    public const uint UInteger = 28;
    public const uint Enumeration = 29;
    public const uint Image = 30;
    public const uint Decimal = 50;
    public const uint Duration = 290;
    public const uint UtcTime = 294;
    public const uint LocaleId = 295;
    public const uint Argument = 296;
    public const uint BuildInfo = 338;
    public const uint ServerState = 852;
    public const uint ServerStatusDataType = 862;
}

public static class ObjectIds
{
    public const uint ModellingRuleMandatory = 78;
    public const uint ModellingRuleOptional = 80;
    public const uint RootFolder = 84;
    public const uint ObjectsFolder = 85;
    public const uint TypesFolder = 86;
    public const uint ViewsFolder = 87;
    public const uint ObjectTypesFolder = 88;
    public const uint VariableTypesFolder = 89;
    public const uint DataTypesFolder = 90;
    public const uint ReferenceTypesFolder = 91;
    public const uint Server = 2253;
    public const uint ServerCapabilities = 2268;
    public const uint ServerDiagnostics = 2274;
    public const uint VendorServerInfo = 2295;
    public const uint ServerRedundancy = 2296;
    public const uint ModellingRules = 2996;
    public const uint AggregateFunctions = 2997;
    public const uint OperationLimits = 11704;
}

public static class ObjectTypeIds
{
    public const uint BaseObjectType = 58;
    public const uint FolderType = 61;
    public const uint DataTypeEncodingType = 76;
    public const uint ModellingRuleType = 77;
    public const uint ServerType = 2004;
    public const uint ServerCapabilitiesType = 2013;
    public const uint ServerDiagnosticsType = 2020;
    public const uint VendorServerInfoType = 2033;
    public const uint ServerRedundancyType = 2034;
    public const uint BaseEventType = 2041;
    public const uint OperationLimitsType = 11564;
}

public static class VariableTypeIds
{
    public const uint BaseVariableType = 62;
    public const uint BaseDataVariableType = 63;
    public const uint PropertyType = 68;
    public const uint ServerStatusType = 2138;
    public const uint BuildInfoType = 3051;
}

public static class VariableIds
{
    public const uint ServerArray = 2254;
    public const uint NamespaceArray = 2255;
    public const uint ServerStatus = 2256;
    public const uint ServerStatusStartTime = 2257;
    public const uint ServerStatusCurrentTime = 2258;
    public const uint ServerStatusState = 2259;
    public const uint ServerStatusBuildInfo = 2260;
    public const uint BuildInfoProductName = 2261;
    public const uint BuildInfoProductUri = 2262;
    public const uint BuildInfoManufacturerName = 2263;
    public const uint BuildInfoSoftwareVersion = 2264;
    public const uint BuildInfoBuildNumber = 2265;
    public const uint BuildInfoBuildDate = 2266;
    public const uint ServiceLevel = 2267;
    public const uint ServerProfileArray = 2269;
    public const uint LocaleIdArray = 2271;
    public const uint MinSupportedSampleRate = 2272;
    public const uint MaxBrowseContinuationPoints = 2735;
    public const uint MaxQueryContinuationPoints = 2736;
    public const uint MaxHistoryContinuationPoints = 2737;
    public const uint SecondsTillShutdown = 2992;
    public const uint ShutdownReason = 2993;
    public const uint Auditing = 2994;
    public const uint SoftwareCertificates = 3704;
    public const uint RedundancySupport = 3709;
    public const uint MaxArrayLength = 11702;
    public const uint MaxStringLength = 11703;
    public const uint MaxNodesPerRead = 11705;
    public const uint MaxNodesPerWrite = 11707;
    public const uint MaxNodesPerMethodCall = 11709;
    public const uint MaxNodesPerBrowse = 11710;
    public const uint MaxNodesPerRegisterNodes = 11711;
    public const uint MaxNodesPerTranslateBrowsePathsToNodeIds = 11712;
    public const uint MaxNodesPerNodeManagement = 11713;
    public const uint MaxMonitoredItemsPerCall = 11714;
    public const uint MaxByteStringLength = 12911;
}
