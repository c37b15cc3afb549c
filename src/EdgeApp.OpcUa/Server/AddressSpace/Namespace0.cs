using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.AddressSpace;

/// <summary>
/// The part of namespace 0 that generic clients (UaExpert, node-opcua, OPC Publisher) browse and read: the standard
/// folders, the reference-type and data-type hierarchies, the base object and variable types, and the Server object
/// (Part 5 §6 and §8). Ids and names follow Part 6 Annex A (NodeIds.csv).
/// </summary>
internal static partial class Namespace0
{
    public static void Build(NodeTable t, ServerIdentity identity, ServerLimits limits)
    {
        BuildReferenceTypes(t);
        BuildFolders(t);
        BuildDataTypes(t);
        BuildObjectAndVariableTypes(t);
        BuildServerObject(t, identity, limits);
    }

    private static void BuildReferenceTypes(NodeTable t)
    {
        RefType(t, ReferenceTypeIds.References, "References", null, isAbstract: true, symmetric: true, inverse: null);
        RefType(t, ReferenceTypeIds.HierarchicalReferences, "HierarchicalReferences", ReferenceTypeIds.References, true, false, "InverseHierarchicalReferences");
        RefType(t, ReferenceTypeIds.NonHierarchicalReferences, "NonHierarchicalReferences", ReferenceTypeIds.References, true, true, null);
        RefType(t, ReferenceTypeIds.HasChild, "HasChild", ReferenceTypeIds.HierarchicalReferences, true, false, "ChildOf");
        RefType(t, ReferenceTypeIds.Organizes, "Organizes", ReferenceTypeIds.HierarchicalReferences, false, false, "OrganizedBy");
        RefType(t, ReferenceTypeIds.HasEventSource, "HasEventSource", ReferenceTypeIds.HierarchicalReferences, false, false, "EventSourceOf");
        RefType(t, ReferenceTypeIds.HasNotifier, "HasNotifier", ReferenceTypeIds.HasEventSource, false, false, "NotifierOf");
        RefType(t, ReferenceTypeIds.Aggregates, "Aggregates", ReferenceTypeIds.HasChild, true, false, "AggregatedBy");
        RefType(t, ReferenceTypeIds.HasSubtype, "HasSubtype", ReferenceTypeIds.HasChild, false, false, "SubtypeOf");
        RefType(t, ReferenceTypeIds.HasProperty, "HasProperty", ReferenceTypeIds.Aggregates, false, false, "PropertyOf");
        RefType(t, ReferenceTypeIds.HasComponent, "HasComponent", ReferenceTypeIds.Aggregates, false, false, "ComponentOf");
        RefType(t, ReferenceTypeIds.HasOrderedComponent, "HasOrderedComponent", ReferenceTypeIds.HasComponent, false, false, "OrderedComponentOf");
        RefType(t, ReferenceTypeIds.HasModellingRule, "HasModellingRule", ReferenceTypeIds.NonHierarchicalReferences, false, false, "ModellingRuleOf");
        RefType(t, ReferenceTypeIds.HasEncoding, "HasEncoding", ReferenceTypeIds.NonHierarchicalReferences, false, false, "EncodingOf");
        RefType(t, ReferenceTypeIds.HasDescription, "HasDescription", ReferenceTypeIds.NonHierarchicalReferences, false, false, "DescriptionOf");
        RefType(t, ReferenceTypeIds.HasTypeDefinition, "HasTypeDefinition", ReferenceTypeIds.NonHierarchicalReferences, false, false, "TypeDefinitionOf");
        RefType(t, ReferenceTypeIds.GeneratesEvent, "GeneratesEvent", ReferenceTypeIds.NonHierarchicalReferences, false, false, "GeneratedBy");
    }

    private static void BuildFolders(NodeTable t)
    {
        // Root has no parent: add it bare, then everything hangs below it.
        t.AddNode(new ObjectNode(ObjectIds.RootFolder, new QualifiedName("Root"), "Root"));
        t.AddNode(new ObjectTypeNode(ObjectTypeIds.BaseObjectType, new QualifiedName("BaseObjectType"), "BaseObjectType"));
        t.AddNode(new ObjectTypeNode(ObjectTypeIds.FolderType, new QualifiedName("FolderType"), "FolderType"));
        t.AddReference(ObjectTypeIds.BaseObjectType, ReferenceTypeIds.HasSubtype, ObjectTypeIds.FolderType);
        t.AddReference(ObjectIds.RootFolder, ReferenceTypeIds.HasTypeDefinition, ObjectTypeIds.FolderType);
        Folder(t, ObjectIds.ObjectsFolder, "Objects", ObjectIds.RootFolder);
        Folder(t, ObjectIds.TypesFolder, "Types", ObjectIds.RootFolder);
        Folder(t, ObjectIds.ViewsFolder, "Views", ObjectIds.RootFolder);
        Folder(t, ObjectIds.ObjectTypesFolder, "ObjectTypes", ObjectIds.TypesFolder);
        Folder(t, ObjectIds.VariableTypesFolder, "VariableTypes", ObjectIds.TypesFolder);
        Folder(t, ObjectIds.DataTypesFolder, "DataTypes", ObjectIds.TypesFolder);
        Folder(t, ObjectIds.ReferenceTypesFolder, "ReferenceTypes", ObjectIds.TypesFolder);
        t.AddReference(ObjectIds.ReferenceTypesFolder, ReferenceTypeIds.Organizes, ReferenceTypeIds.References);
        t.AddReference(ObjectIds.ObjectTypesFolder, ReferenceTypeIds.Organizes, ObjectTypeIds.BaseObjectType);
    }

    private static void BuildDataTypes(NodeTable t)
    {
        DataType(t, DataTypeIds.BaseDataType, "BaseDataType", null, isAbstract: true);
        t.AddReference(ObjectIds.DataTypesFolder, ReferenceTypeIds.Organizes, DataTypeIds.BaseDataType);
        DataType(t, (uint)BuiltInType.Boolean, "Boolean", DataTypeIds.BaseDataType);
        DataType(t, DataTypeIds.Number, "Number", DataTypeIds.BaseDataType, isAbstract: true);
        DataType(t, DataTypeIds.Integer, "Integer", DataTypeIds.Number, isAbstract: true);
        DataType(t, DataTypeIds.UInteger, "UInteger", DataTypeIds.Number, isAbstract: true);
        foreach (var signed in new[] { BuiltInType.SByte, BuiltInType.Int16, BuiltInType.Int32, BuiltInType.Int64 })
        {
            DataType(t, (uint)signed, signed.ToString(), DataTypeIds.Integer);
        }

        foreach (var unsigned in new[] { BuiltInType.Byte, BuiltInType.UInt16, BuiltInType.UInt32, BuiltInType.UInt64 })
        {
            DataType(t, (uint)unsigned, unsigned.ToString(), DataTypeIds.UInteger);
        }

        DataType(t, (uint)BuiltInType.Float, "Float", DataTypeIds.Number);
        DataType(t, (uint)BuiltInType.Double, "Double", DataTypeIds.Number);
        DataType(t, DataTypeIds.Duration, "Duration", (uint)BuiltInType.Double);
        DataType(t, DataTypeIds.Decimal, "Decimal", DataTypeIds.Number);
        DataType(t, (uint)BuiltInType.String, "String", DataTypeIds.BaseDataType);
        DataType(t, DataTypeIds.LocaleId, "LocaleId", (uint)BuiltInType.String);
        DataType(t, (uint)BuiltInType.DateTime, "DateTime", DataTypeIds.BaseDataType);
        DataType(t, DataTypeIds.UtcTime, "UtcTime", (uint)BuiltInType.DateTime);
        DataType(t, (uint)BuiltInType.ByteString, "ByteString", DataTypeIds.BaseDataType);
        DataType(t, DataTypeIds.Image, "Image", (uint)BuiltInType.ByteString, isAbstract: true);
        foreach (var other in new[]
                 {
                     BuiltInType.Guid, BuiltInType.XmlElement, BuiltInType.NodeId, BuiltInType.ExpandedNodeId, BuiltInType.StatusCode,
                     BuiltInType.QualifiedName, BuiltInType.LocalizedText, BuiltInType.DataValue, BuiltInType.DiagnosticInfo,
                 })
        {
            DataType(t, (uint)other, other.ToString(), DataTypeIds.BaseDataType);
        }

        DataType(t, DataTypeIds.Structure, "Structure", DataTypeIds.BaseDataType, isAbstract: true);
        DataType(t, DataTypeIds.Argument, "Argument", DataTypeIds.Structure);
        DataType(t, DataTypeIds.BuildInfo, "BuildInfo", DataTypeIds.Structure);
        DataType(t, DataTypeIds.ServerStatusDataType, "ServerStatusDataType", DataTypeIds.Structure);
        DataType(t, DataTypeIds.Enumeration, "Enumeration", DataTypeIds.BaseDataType, isAbstract: true);
        DataType(t, DataTypeIds.ServerState, "ServerState", DataTypeIds.Enumeration);
        DataType(t, RedundancySupportType, "RedundancySupport", DataTypeIds.Enumeration);
    }

    private const uint RedundancySupportType = 851;

    private static void BuildObjectAndVariableTypes(NodeTable t)
    {
        ObjectType(t, ObjectTypeIds.ServerType, "ServerType");
        ObjectType(t, ObjectTypeIds.ServerCapabilitiesType, "ServerCapabilitiesType");
        ObjectType(t, ObjectTypeIds.ServerDiagnosticsType, "ServerDiagnosticsType");
        ObjectType(t, ObjectTypeIds.VendorServerInfoType, "VendorServerInfoType");
        ObjectType(t, ObjectTypeIds.ServerRedundancyType, "ServerRedundancyType");
        ObjectType(t, ObjectTypeIds.ModellingRuleType, "ModellingRuleType");
        ObjectType(t, ObjectTypeIds.DataTypeEncodingType, "DataTypeEncodingType");
        ObjectType(t, ObjectTypeIds.BaseEventType, "BaseEventType");
        t.AddNode(new ObjectTypeNode(ObjectTypeIds.OperationLimitsType, new QualifiedName("OperationLimitsType"), "OperationLimitsType"));
        t.AddReference(ObjectTypeIds.FolderType, ReferenceTypeIds.HasSubtype, ObjectTypeIds.OperationLimitsType);

        t.AddNode(new VariableTypeNode(VariableTypeIds.BaseVariableType, new QualifiedName("BaseVariableType"), "BaseVariableType", DataTypeIds.BaseDataType, -2, isAbstract: true));
        t.AddReference(ObjectIds.VariableTypesFolder, ReferenceTypeIds.Organizes, VariableTypeIds.BaseVariableType);
        VariableType(t, VariableTypeIds.BaseDataVariableType, "BaseDataVariableType", VariableTypeIds.BaseVariableType, DataTypeIds.BaseDataType);
        VariableType(t, VariableTypeIds.PropertyType, "PropertyType", VariableTypeIds.BaseVariableType, DataTypeIds.BaseDataType);
        VariableType(t, VariableTypeIds.ServerStatusType, "ServerStatusType", VariableTypeIds.BaseDataVariableType, DataTypeIds.ServerStatusDataType);
        VariableType(t, VariableTypeIds.BuildInfoType, "BuildInfoType", VariableTypeIds.BaseDataVariableType, DataTypeIds.BuildInfo);
    }

    private static void RefType(NodeTable t, uint id, string name, uint? supertype, bool isAbstract, bool symmetric, string? inverse)
    {
        t.AddNode(new ReferenceTypeNode(id, new QualifiedName(name), name, isAbstract, symmetric, inverse is null ? default : new LocalizedText(inverse)));
        if (supertype is { } super)
        {
            t.AddReference(super, ReferenceTypeIds.HasSubtype, id);
        }
    }

    private static void Folder(NodeTable t, uint id, string name, uint parent)
    {
        t.AddNode(new ObjectNode(id, new QualifiedName(name), name));
        t.AddReference(parent, ReferenceTypeIds.Organizes, id);
        t.AddReference(id, ReferenceTypeIds.HasTypeDefinition, ObjectTypeIds.FolderType);
    }

    private static void DataType(NodeTable t, uint id, string name, uint? supertype, bool isAbstract = false)
    {
        t.AddNode(new DataTypeNode(id, new QualifiedName(name), name, isAbstract));
        if (supertype is { } super)
        {
            t.AddReference(super, ReferenceTypeIds.HasSubtype, id);
        }
    }

    private static void ObjectType(NodeTable t, uint id, string name)
    {
        t.AddNode(new ObjectTypeNode(id, new QualifiedName(name), name));
        t.AddReference(ObjectTypeIds.BaseObjectType, ReferenceTypeIds.HasSubtype, id);
    }

    private static void VariableType(NodeTable t, uint id, string name, uint supertype, NodeId dataType)
    {
        t.AddNode(new VariableTypeNode(id, new QualifiedName(name), name, dataType, -1));
        t.AddReference(supertype, ReferenceTypeIds.HasSubtype, id);
    }
}
