using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>Method service set (Part 4 §5.11): Call, with argument validation before the application's handler runs.</summary>
internal static class MethodHandlers
{
    public static void Register(ServiceDispatcher dispatcher) => dispatcher.Register<CallRequest>(CallAsync, SessionRequirement.Activated);

    private static async ValueTask<IServiceResponse> CallAsync(RequestContext context, CallRequest request)
    {
        Limits.CheckCount(request.MethodsToCall.Length, context.Server.Options.Limits.MaxNodesPerMethodCall);
        var results = new CallMethodResult[request.MethodsToCall.Length];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = await CallOneAsync(context, request.MethodsToCall[i]);
        }

        return new CallResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results };
    }

    private static async ValueTask<CallMethodResult> CallOneAsync(RequestContext context, CallMethodRequest call)
    {
        var nodes = context.Server.AddressSpace;
        if (!nodes.TryGetNode(call.ObjectId, out var target))
        {
            return new CallMethodResult { StatusCode = StatusCodes.BadNodeIdUnknown };
        }

        if (!nodes.TryGetNode(call.MethodId, out var node) || node is not MethodNode method || !IsMethodOf(target, method))
        {
            return new CallMethodResult { StatusCode = StatusCodes.BadMethodInvalid };
        }

        if (!method.Executable)
        {
            return new CallMethodResult { StatusCode = StatusCodes.BadNotExecutable };
        }

        var expected = method.InputArguments;
        if (call.InputArguments.Length < expected.Length)
        {
            return new CallMethodResult { StatusCode = StatusCodes.BadArgumentsMissing };
        }

        if (call.InputArguments.Length > expected.Length)
        {
            return new CallMethodResult { StatusCode = StatusCodes.BadTooManyArguments };
        }

        var argumentResults = new StatusCode[expected.Length];
        var invalid = false;
        for (var i = 0; i < expected.Length; i++)
        {
            if (!TypeCheck.Matches(nodes, expected[i], call.InputArguments[i]))
            {
                argumentResults[i] = StatusCodes.BadTypeMismatch;
                invalid = true;
            }
        }

        if (invalid)
        {
            return new CallMethodResult { StatusCode = StatusCodes.BadInvalidArgument, InputArgumentResults = argumentResults };
        }

        try
        {
            var outputs = await method.Handler(new MethodCallContext(call.ObjectId, call.MethodId, context.Session!.SessionId), call.InputArguments);
            return new CallMethodResult { StatusCode = StatusCodes.Good, OutputArguments = outputs ?? [] };
        }
        catch (OpcUaException ex)
        {
            return new CallMethodResult { StatusCode = ex.StatusCode };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An application bug in one method must not fail the request or the server.
            return new CallMethodResult { StatusCode = StatusCodes.BadInternalError };
        }
    }

    // The method must be a component of the object (Part 4 §5.11.2: otherwise BadMethodInvalid).
    private static bool IsMethodOf(Node target, MethodNode method)
    {
        foreach (var reference in target.References.Snapshot())
        {
            if (!reference.IsInverse && reference.TargetId == method.NodeId &&
                (reference.ReferenceTypeId == ReferenceTypeIds.HasComponent || reference.ReferenceTypeId == ReferenceTypeIds.HasOrderedComponent))
            {
                return true;
            }
        }

        return false;
    }
}
