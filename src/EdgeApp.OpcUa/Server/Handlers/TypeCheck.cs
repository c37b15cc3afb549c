using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>Does a written value fit a variable's DataType and ValueRank (Part 4 §5.10.4: otherwise BadTypeMismatch)?</summary>
internal static class TypeCheck
{
    public static bool Matches(NodeTable nodes, VariableNode variable, in Variant value) =>
        RankMatches(variable.ValueRank, value) && TypeMatches(nodes, variable.DataType, value);

    public static bool Matches(NodeTable nodes, Argument argument, in Variant value) =>
        RankMatches(argument.ValueRank, value) && TypeMatches(nodes, argument.DataType, value);

    private static bool RankMatches(int valueRank, in Variant value) => valueRank switch
    {
        -3 => value.ArrayDimensions is null,     // scalar or one dimension
        -2 => true,                              // any
        -1 => !value.IsArray,                    // scalar
        0 => value.IsArray,                      // one or more dimensions
        1 => value.IsArray && value.ArrayDimensions is null,
        _ => value.IsArray && (value.ArrayDimensions?.Length ?? 1) == valueRank,
    };

    private static bool TypeMatches(NodeTable nodes, NodeId dataType, in Variant value)
    {
        if (value.IsNull)
        {
            return true; // writing "no value" is allowed for any type
        }

        if (dataType == DataTypeIds.BaseDataType)
        {
            return true;
        }

        var actual = value.Type;
        var builtIn = BuiltInOf(nodes, dataType);
        return builtIn switch
        {
            null => false,
            BuiltInType.Variant => true,
            // Abstract numeric types accept any of their concrete subtypes.
            BuiltInType.Null when dataType == DataTypeIds.Number => actual is >= BuiltInType.SByte and <= BuiltInType.Double,
            BuiltInType.Null when dataType == DataTypeIds.Integer => actual is BuiltInType.SByte or BuiltInType.Int16 or BuiltInType.Int32 or BuiltInType.Int64,
            BuiltInType.Null when dataType == DataTypeIds.UInteger => actual is BuiltInType.Byte or BuiltInType.UInt16 or BuiltInType.UInt32 or BuiltInType.UInt64,
            BuiltInType.Null => false,
            _ => actual == builtIn,
        };
    }

    /// <summary>The built-in type that encodes values of <paramref name="dataType"/>: walk up HasSubtype to a built-in id.</summary>
    private static BuiltInType? BuiltInOf(NodeTable nodes, NodeId dataType)
    {
        if (dataType.NamespaceIndex == 0 && dataType.IdType == IdType.Numeric && dataType.NumericId <= (uint)BuiltInType.DiagnosticInfo)
        {
            return dataType.NumericId == DataTypeIds.BaseDataType ? BuiltInType.Variant : (BuiltInType)dataType.NumericId;
        }

        if (nodes.IsSubtypeOf(dataType, DataTypeIds.Enumeration))
        {
            return BuiltInType.Int32;
        }

        if (nodes.IsSubtypeOf(dataType, DataTypeIds.Structure))
        {
            return BuiltInType.ExtensionObject;
        }

        foreach (var parent in new uint[] { (uint)BuiltInType.Double, (uint)BuiltInType.String, (uint)BuiltInType.DateTime, (uint)BuiltInType.ByteString })
        {
            if (nodes.IsSubtypeOf(dataType, parent))
            {
                return (BuiltInType)parent;
            }
        }

        var isAbstractNumber = dataType.NamespaceIndex == 0 && dataType.IdType == IdType.Numeric
            && dataType.NumericId is DataTypeIds.Number or DataTypeIds.Integer or DataTypeIds.UInteger;
        return isAbstractNumber ? BuiltInType.Null : null;
    }
}
