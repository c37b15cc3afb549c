using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.AddressSpace;

/// <summary>The Server object and its children (Part 5 §6.3.1 ServerType, §6.3.2 ServerCapabilitiesType).</summary>
internal static partial class Namespace0
{
    private static void BuildServerObject(NodeTable t, ServerIdentity identity, ServerLimits limits)
    {
        var startTime = DateTime.UtcNow;
        var server = Object(t, ObjectIds.Server, "Server", ObjectIds.ObjectsFolder, ReferenceTypeIds.Organizes, ObjectTypeIds.ServerType);
        server.EventNotifier = 1;

        Property(t, VariableIds.ServerArray, "ServerArray", server, Variant.FromArray(BuiltInType.String, new[] { identity.ApplicationUri }), BuiltInType.String, 1);
        var namespaces = Property(t, VariableIds.NamespaceArray, "NamespaceArray", server, Variant.Null, BuiltInType.String, 1);
        namespaces.ValueSource = () => new DataValue(Variant.FromArray(BuiltInType.String, t.Namespaces.ToArray()), default, startTime, DateTime.UtcNow);

        var buildInfo = identity.ToBuildInfo();
        var status = Variable(t, VariableIds.ServerStatus, "ServerStatus", server, Variant.Null, DataTypeIds.ServerStatusDataType, VariableTypeIds.ServerStatusType);
        status.ValueSource = () => Now(new Variant(new ExtensionObject(new ServerStatusDataType
        {
            StartTime = startTime,
            CurrentTime = DateTime.UtcNow,
            State = ServerState.Running,
            BuildInfo = buildInfo,
        })));
        Variable(t, VariableIds.ServerStatusStartTime, "StartTime", status, new Variant(startTime), DataTypeIds.UtcTime);
        Variable(t, VariableIds.ServerStatusCurrentTime, "CurrentTime", status, Variant.Null, DataTypeIds.UtcTime).ValueSource =
            () => Now(new Variant(DateTime.UtcNow));
        Variable(t, VariableIds.ServerStatusState, "State", status, new Variant((int)ServerState.Running), DataTypeIds.ServerState);
        var build = Variable(t, VariableIds.ServerStatusBuildInfo, "BuildInfo", status, new Variant(new ExtensionObject(buildInfo)), DataTypeIds.BuildInfo, VariableTypeIds.BuildInfoType);
        Variable(t, VariableIds.BuildInfoProductUri, "ProductUri", build, new Variant(buildInfo.ProductUri), (uint)BuiltInType.String);
        Variable(t, VariableIds.BuildInfoManufacturerName, "ManufacturerName", build, new Variant(buildInfo.ManufacturerName), (uint)BuiltInType.String);
        Variable(t, VariableIds.BuildInfoProductName, "ProductName", build, new Variant(buildInfo.ProductName), (uint)BuiltInType.String);
        Variable(t, VariableIds.BuildInfoSoftwareVersion, "SoftwareVersion", build, new Variant(buildInfo.SoftwareVersion), (uint)BuiltInType.String);
        Variable(t, VariableIds.BuildInfoBuildNumber, "BuildNumber", build, new Variant(buildInfo.BuildNumber), (uint)BuiltInType.String);
        Variable(t, VariableIds.BuildInfoBuildDate, "BuildDate", build, new Variant(buildInfo.BuildDate), DataTypeIds.UtcTime);
        Variable(t, VariableIds.SecondsTillShutdown, "SecondsTillShutdown", status, new Variant(0u), (uint)BuiltInType.UInt32);
        Variable(t, VariableIds.ShutdownReason, "ShutdownReason", status, new Variant(new LocalizedText(null, null)), (uint)BuiltInType.LocalizedText);

        Property(t, VariableIds.ServiceLevel, "ServiceLevel", server, new Variant((byte)255), BuiltInType.Byte);
        Property(t, VariableIds.Auditing, "Auditing", server, new Variant(false), BuiltInType.Boolean);

        var capabilities = Object(t, ObjectIds.ServerCapabilities, "ServerCapabilities", server, ReferenceTypeIds.HasComponent, ObjectTypeIds.ServerCapabilitiesType);
        Property(t, VariableIds.ServerProfileArray, "ServerProfileArray", capabilities,
            Variant.FromArray(BuiltInType.String, new[] { "http://opcfoundation.org/UA-Profile/Server/MicroEmbeddedDevice" }), BuiltInType.String, 1);
        Property(t, VariableIds.LocaleIdArray, "LocaleIdArray", capabilities, Variant.FromArray(BuiltInType.String, new[] { "en" }), DataTypeIds.LocaleId, 1);
        Property(t, VariableIds.MinSupportedSampleRate, "MinSupportedSampleRate", capabilities, new Variant(0.0), DataTypeIds.Duration);
        Property(t, VariableIds.MaxBrowseContinuationPoints, "MaxBrowseContinuationPoints", capabilities, new Variant((ushort)limits.MaxBrowseContinuationPoints), BuiltInType.UInt16);
        Property(t, VariableIds.MaxQueryContinuationPoints, "MaxQueryContinuationPoints", capabilities, new Variant((ushort)0), BuiltInType.UInt16);
        Property(t, VariableIds.MaxHistoryContinuationPoints, "MaxHistoryContinuationPoints", capabilities, new Variant((ushort)0), BuiltInType.UInt16);
        Property(t, VariableIds.MaxArrayLength, "MaxArrayLength", capabilities, new Variant((uint)limits.MaxArrayLength), BuiltInType.UInt32);
        Property(t, VariableIds.MaxStringLength, "MaxStringLength", capabilities, new Variant((uint)limits.MaxStringLength), BuiltInType.UInt32);
        Property(t, VariableIds.MaxByteStringLength, "MaxByteStringLength", capabilities, new Variant((uint)limits.MaxByteStringLength), BuiltInType.UInt32);
        Object(t, ObjectIds.ModellingRules, "ModellingRules", capabilities, ReferenceTypeIds.HasComponent, ObjectTypeIds.FolderType);
        Object(t, ObjectIds.AggregateFunctions, "AggregateFunctions", capabilities, ReferenceTypeIds.HasComponent, ObjectTypeIds.FolderType);

        var operationLimits = Object(t, ObjectIds.OperationLimits, "OperationLimits", capabilities, ReferenceTypeIds.HasComponent, ObjectTypeIds.OperationLimitsType);
        OperationLimit(t, VariableIds.MaxNodesPerRead, "MaxNodesPerRead", operationLimits, limits.MaxNodesPerRead);
        OperationLimit(t, VariableIds.MaxNodesPerWrite, "MaxNodesPerWrite", operationLimits, limits.MaxNodesPerWrite);
        OperationLimit(t, VariableIds.MaxNodesPerMethodCall, "MaxNodesPerMethodCall", operationLimits, limits.MaxNodesPerMethodCall);
        OperationLimit(t, VariableIds.MaxNodesPerBrowse, "MaxNodesPerBrowse", operationLimits, limits.MaxNodesPerBrowse);
        OperationLimit(t, VariableIds.MaxNodesPerRegisterNodes, "MaxNodesPerRegisterNodes", operationLimits, limits.MaxNodesPerRegisterNodes);
        OperationLimit(t, VariableIds.MaxNodesPerTranslateBrowsePathsToNodeIds, "MaxNodesPerTranslateBrowsePathsToNodeIds", operationLimits, limits.MaxNodesPerTranslateBrowsePathsToNodeIds);
        OperationLimit(t, VariableIds.MaxNodesPerNodeManagement, "MaxNodesPerNodeManagement", operationLimits, 0);
        OperationLimit(t, VariableIds.MaxMonitoredItemsPerCall, "MaxMonitoredItemsPerCall", operationLimits, 0);

        Object(t, ObjectIds.VendorServerInfo, "VendorServerInfo", server, ReferenceTypeIds.HasComponent, ObjectTypeIds.VendorServerInfoType);
        var redundancy = Object(t, ObjectIds.ServerRedundancy, "ServerRedundancy", server, ReferenceTypeIds.HasComponent, ObjectTypeIds.ServerRedundancyType);
        Property(t, VariableIds.RedundancySupport, "RedundancySupport", redundancy, new Variant(0), RedundancySupportType);
    }

    private static DataValue Now(Variant value)
    {
        var now = DateTime.UtcNow;
        return new DataValue(value, default, now, now);
    }

    private static ObjectNode Object(NodeTable t, uint id, string name, NodeId parent, uint referenceType, uint typeDefinition)
    {
        var node = t.AddNode(new ObjectNode(id, new QualifiedName(name), name));
        t.AddReference(parent, referenceType, id);
        t.AddReference(id, ReferenceTypeIds.HasTypeDefinition, typeDefinition);
        return node;
    }

    private static ObjectNode Object(NodeTable t, uint id, string name, Node parent, uint referenceType, uint typeDefinition) =>
        Object(t, id, name, parent.NodeId, referenceType, typeDefinition);

    private static VariableNode Property(NodeTable t, uint id, string name, Node parent, Variant value, BuiltInType type, int rank = -1) =>
        Property(t, id, name, parent, value, (uint)type, rank);

    private static VariableNode Property(NodeTable t, uint id, string name, Node parent, Variant value, uint dataType, int rank = -1)
    {
        var node = t.AddNode(new VariableNode(id, new QualifiedName(name), name, dataType, rank) { ArrayDimensions = rank == 1 ? [0] : null });
        node.SetValue(value);
        t.AddReference(parent.NodeId, ReferenceTypeIds.HasProperty, id);
        t.AddReference(id, ReferenceTypeIds.HasTypeDefinition, VariableTypeIds.PropertyType);
        return node;
    }

    private static VariableNode Variable(NodeTable t, uint id, string name, Node parent, Variant value, uint dataType, uint typeDefinition = VariableTypeIds.BaseDataVariableType)
    {
        var node = t.AddNode(new VariableNode(id, new QualifiedName(name), name, dataType, -1));
        node.SetValue(value);
        t.AddReference(parent.NodeId, ReferenceTypeIds.HasComponent, id);
        t.AddReference(id, ReferenceTypeIds.HasTypeDefinition, typeDefinition);
        return node;
    }

    private static void OperationLimit(NodeTable t, uint id, string name, Node parent, int value) =>
        Property(t, id, name, parent, new Variant((uint)value), BuiltInType.UInt32);
}
