using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.Tests.OpcUa.Encoding;

public sealed class NodeIdTextTests
{
    [Theory]
    [InlineData("i=85", 0, "85")]
    [InlineData("ns=2;s=StepUp", 2, "StepUp")]
    [InlineData("ns=3;s=with;semicolons=and=equals", 3, "with;semicolons=and=equals")]
    [InlineData("ns=1;g=72962b91-fa75-4ae6-8d28-b404dc7daf63", 1, "72962b91-fa75-4ae6-8d28-b404dc7daf63")]
    [InlineData("ns=4;b=AQID", 4, "AQID")]
    public void Parse_ThenPrint_RoundTrips(string text, int ns, string identifier)
    {
        var id = NodeId.Parse(text);
        Assert.Equal(ns, id.NamespaceIndex);
        Assert.EndsWith(identifier, id.ToString(), StringComparison.Ordinal);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("x=1")]
    [InlineData("ns=;i=1")]
    [InlineData("ns=70000;i=1")]
    [InlineData("i=-1")]
    [InlineData("g=not-a-guid")]
    [InlineData("b=!!")]
    public void TryParse_RejectsMalformed(string text) => Assert.False(NodeId.TryParse(text, out _));

    [Fact]
    public void ExpandedNodeId_NamespaceUriForm_ParsesAndPrints()
    {
        var id = ExpandedNodeId.Parse("nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp");
        Assert.Equal("http://microsoft.com/Opc/OpcPlc/", id.NamespaceUri);
        Assert.Equal(new NodeId("StepUp", 0), id.NodeId);
        Assert.Equal("nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp", id.ToString());
    }

    [Fact]
    public void ExpandedNodeId_ServerIndexAndPlainForms()
    {
        Assert.Equal(new ExpandedNodeId(new NodeId(5u, 2), null, 1), ExpandedNodeId.Parse("svr=1;ns=2;i=5"));
        Assert.Equal(new ExpandedNodeId(new NodeId("a;s=b", 0), "urn:x"), ExpandedNodeId.Parse("nsu=urn:x;s=a;s=b"));
        Assert.Equal("svr=1;ns=2;i=5", ExpandedNodeId.Parse("svr=1;ns=2;i=5").ToString());
    }

    [Fact]
    public void Equality_CoversAllIdentifierTypes()
    {
        Assert.Equal(new NodeId(new byte[] { 1, 2 }, 1), new NodeId(new byte[] { 1, 2 }, 1));
        Assert.Equal(new NodeId(new byte[] { 1, 2 }, 1).GetHashCode(), new NodeId(new byte[] { 1, 2 }, 1).GetHashCode());
        Assert.NotEqual(new NodeId("a", 1), new NodeId("a", 2));
        Assert.NotEqual(new NodeId(1u, 1), new NodeId("1", 1));
        Assert.True(NodeId.Null.IsNull);
        Assert.True(new NodeId(string.Empty, 0).IsNull);
        Assert.Equal(new QualifiedName(2, "X"), QualifiedName.Parse("2:X"));
    }

    [Theory]
    [InlineData("urn:a%b")]
    [InlineData("urn:a;b")]
    [InlineData("urn:a;s=b%3B")]
    public void ExpandedNodeId_UriWithReservedCharacters_RoundTrips(string uri)
    {
        var id = new ExpandedNodeId(new NodeId("x;s=y", 0), uri);
        var text = id.ToString();
        Assert.DoesNotContain(";s=b", text[..text.IndexOf(";s=x", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Equal(id, ExpandedNodeId.Parse(text));
    }
}
