using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>
/// Attribute service set (Part 4 §5.10): Read and Write. Each operation gets its own status; unknown nodes and
/// attributes never fail the whole request. Reading a value is a lock-free snapshot of the variable's fields.
/// </summary>
internal static class AttributeHandlers
{
    private static readonly StatusCode BadMaxAgeInvalid = new(0x8070_0000);

    public static void Register(ServiceDispatcher dispatcher)
    {
        dispatcher.Register<ReadRequest>(Read, SessionRequirement.Activated);
        dispatcher.Register<WriteRequest>(Write, SessionRequirement.Activated);
    }

    private static ValueTask<IServiceResponse> Read(RequestContext context, ReadRequest request)
    {
        Limits.CheckCount(request.NodesToRead.Length, context.Server.Options.Limits.MaxNodesPerRead);
        if (request.MaxAge < 0 || double.IsNaN(request.MaxAge))
        {
            throw new OpcUaException(BadMaxAgeInvalid);
        }

        if (request.TimestampsToReturn is < TimestampsToReturn.Source or > TimestampsToReturn.Neither)
        {
            throw new OpcUaException(StatusCodes.BadTimestampsToReturnInvalid);
        }

        var nodes = context.Server.AddressSpace;
        var results = new DataValue[request.NodesToRead.Length];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = ReadOne(nodes, request.NodesToRead[i], request.TimestampsToReturn);
        }

        return ValueTask.FromResult<IServiceResponse>(new ReadResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    internal static DataValue ReadOne(NodeTable nodes, ReadValueId item, TimestampsToReturn timestamps)
    {
        if (!nodes.TryGetNode(item.NodeId, out var node))
        {
            return new DataValue(StatusCodes.BadNodeIdUnknown);
        }

        if (!item.DataEncoding.IsNull && !(item.DataEncoding.NamespaceIndex == 0 && item.DataEncoding.Name == "Default Binary"))
        {
            return new DataValue(StatusCodes.BadDataEncodingInvalid);
        }

        if (item.AttributeId != AttributeId.Value)
        {
            if (!string.IsNullOrEmpty(item.IndexRange))
            {
                return new DataValue(StatusCodes.BadIndexRangeInvalid);
            }

            return node.TryReadAttribute(item.AttributeId, out var attribute)
                ? new DataValue(attribute)
                : new DataValue(StatusCodes.BadAttributeIdInvalid);
        }

        if (node is not VariableNode variable)
        {
            return node.TryReadAttribute(AttributeId.Value, out var typeValue)
                ? new DataValue(typeValue)
                : new DataValue(StatusCodes.BadAttributeIdInvalid);
        }

        if ((variable.AccessLevel & AccessLevel.CurrentRead) == 0)
        {
            return new DataValue(StatusCodes.BadNotReadable);
        }

        var value = variable.ReadValue();
        if (!string.IsNullOrEmpty(item.IndexRange))
        {
            var ranged = value.Value;
            var status = IndexRange.Apply(ref ranged, item.IndexRange);
            if (status.IsBad)
            {
                return new DataValue(status);
            }

            value = value with { Value = ranged };
        }

        return timestamps switch
        {
            TimestampsToReturn.Source => value with { ServerTimestamp = default, ServerPicoseconds = 0 },
            TimestampsToReturn.Server => value with { SourceTimestamp = default, SourcePicoseconds = 0 },
            TimestampsToReturn.Neither => value with { SourceTimestamp = default, ServerTimestamp = default, SourcePicoseconds = 0, ServerPicoseconds = 0 },
            _ => value,
        };
    }

    private static ValueTask<IServiceResponse> Write(RequestContext context, WriteRequest request)
    {
        Limits.CheckCount(request.NodesToWrite.Length, context.Server.Options.Limits.MaxNodesPerWrite);
        var results = new StatusCode[request.NodesToWrite.Length];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = WriteOne(context.Server.AddressSpace, request.NodesToWrite[i]);
        }

        return ValueTask.FromResult<IServiceResponse>(new WriteResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    private static StatusCode WriteOne(NodeTable nodes, WriteValue item)
    {
        if (!nodes.TryGetNode(item.NodeId, out var node))
        {
            return StatusCodes.BadNodeIdUnknown;
        }

        if (item.AttributeId is < AttributeId.NodeId or > AttributeId.AccessLevelEx)
        {
            return StatusCodes.BadAttributeIdInvalid;
        }

        if (item.AttributeId != AttributeId.Value || node is not VariableNode variable)
        {
            return node.TryReadAttribute(item.AttributeId, out _) ? StatusCodes.BadNotWritable : StatusCodes.BadAttributeIdInvalid;
        }

        if ((variable.AccessLevel & AccessLevel.CurrentWrite) == 0)
        {
            return StatusCodes.BadNotWritable;
        }

        if (!string.IsNullOrEmpty(item.IndexRange))
        {
            return IndexRange.TryParse(item.IndexRange, out _, out _) ? StatusCodes.BadWriteNotSupported : StatusCodes.BadIndexRangeInvalid;
        }

        if (!TypeCheck.Matches(nodes, variable, item.Value.Value))
        {
            return StatusCodes.BadTypeMismatch;
        }

        if (variable.OnWrite is { } onWrite)
        {
            var verdict = onWrite(variable, item.Value);
            if (!verdict.IsGood)
            {
                return verdict;
            }
        }

        variable.SetValue(item.Value.Value, item.Value.StatusCode, item.Value.SourceTimestamp);
        return StatusCodes.Good;
    }
}

/// <summary>Service-level checks on operation counts (Part 4 §5.1: BadNothingToDo, BadTooManyOperations).</summary>
internal static class Limits
{
    public static void CheckCount(int count, int max)
    {
        if (count == 0)
        {
            throw new OpcUaException(StatusCodes.BadNothingToDo);
        }

        if (count > max)
        {
            throw new OpcUaException(StatusCodes.BadTooManyOperations, $"{count} operations, the limit is {max}.");
        }
    }
}
