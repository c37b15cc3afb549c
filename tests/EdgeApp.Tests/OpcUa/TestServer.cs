using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa;

/// <summary>A server with a test address space, reachable in memory or over loopback TCP.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string Namespace = "urn:edgeapp:test";

    private TestServer(OpcUaServer server, bool tcp)
    {
        Server = server;
        IsTcp = tcp;
        Ns = server.AddressSpace.RegisterNamespace(Namespace);
        Populate();
    }

    public OpcUaServer Server { get; }

    public bool IsTcp { get; }

    public ushort Ns { get; }

    public ObjectNode TestFolder { get; private set; } = null!;

    public VariableNode<int> Counter { get; private set; } = null!;

    public string EndpointUrl => IsTcp ? Server.EndpointUrl : "opc.tcp://memory:4840/";

    /// <summary>Starts a server on a free loopback port (tcp) or for in-memory connections only.</summary>
    public static async Task<TestServer> StartAsync(bool tcp, ServerOptions? options = null)
    {
        var server = new OpcUaServer((options ?? new ServerOptions()) with { EndpointUrl = "opc.tcp://127.0.0.1:0/" });
        var test = new TestServer(server, tcp);
        if (tcp)
        {
            await server.StartAsync();
        }

        return test;
    }

    public NodeId Id(string name) => new(name, Ns);

    public async Task<OpcUaClient> ConnectAsync(ClientOptions? options = null)
    {
        options ??= new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(10), ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (IsTcp)
        {
            return await OpcUaClient.ConnectAsync(EndpointUrl, options);
        }

        var (client, server) = Connectors.CreateInMemoryPair();
        _ = Server.AcceptAsync(server);
        return await OpcUaClient.ConnectAsync(client, EndpointUrl, options);
    }

    /// <summary>One variable per built-in type, scalar and array; a matrix; methods; a folder with many children.</summary>
    private void Populate()
    {
        var a = Server.AddressSpace;
        TestFolder = a.AddFolder(a.ObjectsFolder, Id("Test"), "Test");
        var scalars = a.AddFolder(TestFolder, Id("Scalars"), "Scalars");
        a.AddVariable(scalars, Id("Boolean"), "Boolean", true);
        a.AddVariable(scalars, Id("SByte"), "SByte", (sbyte)-8);
        a.AddVariable(scalars, Id("Byte"), "Byte", (byte)200);
        a.AddVariable(scalars, Id("Int16"), "Int16", (short)-1600);
        a.AddVariable(scalars, Id("UInt16"), "UInt16", (ushort)1600);
        a.AddVariable(scalars, Id("Int32"), "Int32", -32);
        a.AddVariable(scalars, Id("UInt32"), "UInt32", 32u);
        a.AddVariable(scalars, Id("Int64"), "Int64", long.MinValue);
        a.AddVariable(scalars, Id("UInt64"), "UInt64", ulong.MaxValue);
        a.AddVariable(scalars, Id("Float"), "Float", 1.5f);
        a.AddVariable(scalars, Id("Double"), "Double", Math.PI);
        a.AddVariable(scalars, Id("String"), "String", "Hot水");
        a.AddVariable(scalars, Id("DateTime"), "DateTime", new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        a.AddVariable(scalars, Id("Guid"), "Guid", Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63"));
        a.AddVariable(scalars, Id("ByteString"), "ByteString", new byte[] { 1, 2, 3 });
        a.AddVariable(scalars, Id("XmlElement"), "XmlElement", new UaXmlElement("<a>b</a>"));
        a.AddVariable(scalars, Id("NodeId"), "NodeId", new NodeId("x", 2));
        a.AddVariable(scalars, Id("ExpandedNodeId"), "ExpandedNodeId", new ExpandedNodeId(new NodeId(7u), "urn:x"));
        a.AddVariable(scalars, Id("StatusCode"), "StatusCode", StatusCodes.BadNodeIdUnknown);
        a.AddVariable(scalars, Id("QualifiedName"), "QualifiedName", new QualifiedName(1, "q"));
        a.AddVariable(scalars, Id("LocalizedText"), "LocalizedText", new LocalizedText("en", "text"));
        Counter = a.AddVariable(scalars, Id("Counter"), "Counter", 0);

        var arrays = a.AddFolder(TestFolder, Id("Arrays"), "Arrays");
        a.AddVariable(arrays, Id("BooleanArray"), "BooleanArray", new[] { true, false });
        a.AddVariable(arrays, Id("Int32Array"), "Int32Array", new[] { 1, 2, 3, 4, 5 });
        a.AddVariable(arrays, Id("DoubleArray"), "DoubleArray", new[] { 1.0, 2.5 });
        a.AddVariable(arrays, Id("StringArray"), "StringArray", new[] { "a", "b", "c" });
        a.AddVariable(arrays, Id("ByteArray"), "ByteArray", Variant.FromArray(BuiltInType.Byte, new byte[] { 9, 8, 7 }));
        a.AddVariable(arrays, Id("Matrix"), "Matrix", new[,] { { 1, 2, 3 }, { 4, 5, 6 } });

        a.AddVariable(TestFolder, Id("ReadOnly"), "ReadOnly", 42, AccessLevel.CurrentRead);
        a.AddVariable(TestFolder, Id("WriteOnly"), "WriteOnly", 7, AccessLevel.CurrentWrite);

        var methods = a.AddObject(TestFolder, Id("Methods"), "Methods");
        a.AddMethod(methods, Id("Add"), "Add",
            (_, inputs) => ValueTask.FromResult<Variant[]>([new Variant(inputs[0].Get<int>() + inputs[1].Get<int>())]),
            [new Argument { Name = "a", DataType = (uint)BuiltInType.Int32 }, new Argument { Name = "b", DataType = (uint)BuiltInType.Int32 }],
            [new Argument { Name = "sum", DataType = (uint)BuiltInType.Int32 }]);
        a.AddMethod(methods, Id("Reset"), "Reset", (_, _) =>
        {
            Counter.Value = 0;
            return ValueTask.FromResult<Variant[]>([]);
        });
        a.AddMethod(methods, Id("Fail"), "Fail", (_, _) => throw new OpcUaException(StatusCodes.BadInvalidState, "always"));

        var many = a.AddFolder(TestFolder, Id("Many"), "Many");
        for (var i = 0; i < 25; i++)
        {
            a.AddVariable(many, Id($"Many{i:00}"), $"Many{i:00}", i);
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
