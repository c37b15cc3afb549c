using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.ClientServer;

/// <summary>Read and Write, in memory and over loopback TCP.</summary>
public sealed class AttributeServiceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_ReturnsEveryBuiltInTypeValue(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        string[] names = ["Boolean", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64", "Float", "Double", "String",
            "DateTime", "Guid", "ByteString", "XmlElement", "NodeId", "ExpandedNodeId", "StatusCode", "QualifiedName", "LocalizedText",
            "BooleanArray", "Int32Array", "DoubleArray", "StringArray", "ByteArray", "Matrix"];
        var values = await client.ReadAsync(names.Select(n => new ReadValueId { NodeId = server.Id(n) }).ToArray());
        Assert.All(values, v => Assert.Equal(StatusCodes.Good, v.StatusCode));
        for (var i = 0; i < names.Length; i++)
        {
            var expected = ((EdgeApp.OpcUa.Server.AddressSpace.VariableNode)server.Server.AddressSpace.Find(server.Id(names[i]))!).ReadValue().Value;
            Assert.Equal(expected, values[i].Value);
        }

        Assert.Equal(new[] { 2, 3 }, values[^1].Value.ArrayDimensions);
        Assert.NotEqual(default, values[0].SourceTimestamp);
        Assert.NotEqual(default, values[0].ServerTimestamp);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_ReturnsPerItemStatus_ForBadInput(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var results = await client.ReadAsync(
        [
            new ReadValueId { NodeId = server.Id("Missing") },
            new ReadValueId { NodeId = server.Id("Int32"), AttributeId = (AttributeId)999 },
            new ReadValueId { NodeId = server.Id("Int32"), AttributeId = AttributeId.IsAbstract },
            new ReadValueId { NodeId = server.Id("WriteOnly") },
            new ReadValueId { NodeId = server.Id("Int32"), DataEncoding = new QualifiedName("Default XML") },
            new ReadValueId { NodeId = server.Id("Int32Array"), IndexRange = "1:2" },
            new ReadValueId { NodeId = server.Id("Int32Array"), IndexRange = "9" },
            new ReadValueId { NodeId = server.Id("Int32Array"), IndexRange = "x" },
            new ReadValueId { NodeId = server.Id("Int32"), AttributeId = AttributeId.DataType },
            new ReadValueId { NodeId = server.Id("Test"), AttributeId = AttributeId.BrowseName },
        ]);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, results[0].StatusCode);
        Assert.Equal(StatusCodes.BadAttributeIdInvalid, results[1].StatusCode);
        Assert.Equal(StatusCodes.BadAttributeIdInvalid, results[2].StatusCode);
        Assert.Equal(StatusCodes.BadNotReadable, results[3].StatusCode);
        Assert.Equal(StatusCodes.BadDataEncodingInvalid, results[4].StatusCode);
        Assert.Equal(new[] { 2, 3 }, results[5].Value.Get<int[]>());
        Assert.Equal(StatusCodes.BadIndexRangeNoData, results[6].StatusCode);
        Assert.Equal(StatusCodes.BadIndexRangeInvalid, results[7].StatusCode);
        Assert.Equal(new NodeId((uint)BuiltInType.Int32), results[8].Value.Get<NodeId>());
        Assert.Equal(new QualifiedName(server.Ns, "Test"), results[9].Value.Get<QualifiedName>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_HonoursTimestampsToReturn(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var neither = await client.ReadAsync([new ReadValueId { NodeId = server.Id("Int32") }], TimestampsToReturn.Neither);
        Assert.Equal(default, neither[0].SourceTimestamp);
        Assert.Equal(default, neither[0].ServerTimestamp);
        var source = await client.ReadAsync([new ReadValueId { NodeId = server.Id("Int32") }], TimestampsToReturn.Source);
        Assert.NotEqual(default, source[0].SourceTimestamp);
        Assert.Equal(default, source[0].ServerTimestamp);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Write_StoresValue_AndChecksTypeAndAccess(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var results = await client.WriteAsync(
        [
            new WriteValue { NodeId = server.Id("Counter"), Value = new DataValue(new Variant(77)) },
            new WriteValue { NodeId = server.Id("Counter"), Value = new DataValue(new Variant(1.5)) },
            new WriteValue { NodeId = server.Id("ReadOnly"), Value = new DataValue(new Variant(1)) },
            new WriteValue { NodeId = server.Id("Missing"), Value = new DataValue(new Variant(1)) },
            new WriteValue { NodeId = server.Id("Counter"), AttributeId = AttributeId.DisplayName, Value = new DataValue(new Variant("x")) },
            new WriteValue { NodeId = server.Id("Int32Array"), Value = new DataValue(Variant.FromArray(new[] { 9, 9 })) },
            new WriteValue { NodeId = server.Id("Int32Array"), Value = new DataValue(new Variant(9)) },
            new WriteValue { NodeId = server.Id("Int32Array"), IndexRange = "1", Value = new DataValue(Variant.FromArray(new[] { 9 })) },
            new WriteValue { NodeId = server.Id("Counter"), AttributeId = (AttributeId)0, Value = new DataValue(new Variant(1)) },
        ]);
        Assert.Equal(
            [StatusCodes.Good, StatusCodes.BadTypeMismatch, StatusCodes.BadNotWritable, StatusCodes.BadNodeIdUnknown, StatusCodes.BadNotWritable,
             StatusCodes.Good, StatusCodes.BadTypeMismatch, StatusCodes.BadWriteNotSupported, StatusCodes.BadAttributeIdInvalid],
            results);
        Assert.Equal(77, server.Counter.Value);
        Assert.Equal(77, (await client.ReadAsync(server.Id("Counter"))).Value.Get<int>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_SeesValuesPushedByTheApplication(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var before = server.Counter.ChangeCount;
        server.Counter.Value = 5;
        Assert.Equal(before + 1, server.Counter.ChangeCount);
        Assert.Equal(5, (await client.ReadAsync(server.Id("Counter"))).Value.Get<int>());
        server.Counter.Set(6, StatusCodes.Uncertain);
        var read = await client.ReadAsync(server.Id("Counter"));
        Assert.Equal(StatusCodes.Uncertain, read.StatusCode);
        Assert.Equal(6, read.Value.Get<int>());
    }

    [Fact]
    public async Task Value_ConcurrentWritersAndReaders_NeverSeeTornValues()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Torn"), "Torn", 0L);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var writer = Task.Run(() =>
        {
            for (long i = 1; !stop.IsCancellationRequested; i++)
            {
                variable.Set(i, new StatusCode((uint)i), new DateTime(i, DateTimeKind.Utc));
            }
        });
        var checks = 0;
        while (!stop.IsCancellationRequested)
        {
            var value = variable.ReadValue();
            var n = value.Value.Get<long>();
            Assert.True(n == 0 || (value.StatusCode.Code == (uint)n && value.SourceTimestamp.Ticks == n), $"torn read {n}");
            checks++;
        }

        await writer;
        Assert.True(checks > 100);
    }
}
