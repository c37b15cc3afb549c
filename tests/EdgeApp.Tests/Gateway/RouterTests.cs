using EdgeApp.Gateway;
using EdgeApp.Gateway.Routing;

namespace EdgeApp.Tests.Gateway;

public class RouterTests
{
    private readonly Router router = new(
    [
        new RouteOptions { Topics = ["telemetry"], Sinks = ["eventhubs"] },
        new RouteOptions { Sources = ["opc-*"], Sinks = ["eventhubs", "archive"] },
        new RouteOptions { Types = ["ua-?ata"], Topics = ["opc"], Sinks = ["ua"] },
    ]);

    [Fact]
    public void Plan_SendsEachEventToTheUnionOfItsMatchingRoutes_Once()
    {
        var batch = new[]
        {
            GatewayTestHost.Event("a", topic: "telemetry"),
            GatewayTestHost.Event("b", topic: "telemetry", source: "opc-publisher"),
            GatewayTestHost.Event("c", topic: "opc", source: "opc-publisher", type: "ua-data"),
            GatewayTestHost.Event("d", topic: "other", source: "sensor"),
        };

        var plan = router.Plan(batch);

        Assert.Equal([0, 1, 2], plan.BySink["eventhubs"]);
        Assert.Equal([1, 2], plan.BySink["archive"]);
        Assert.Equal([2], plan.BySink["ua"]);
        Assert.Equal([3], plan.Unroutable);
    }

    [Fact]
    public void EmptyRouteList_RoutesNothing()
    {
        var plan = new Router([]).Plan([GatewayTestHost.Event("a")]);

        Assert.Empty(plan.BySink);
        Assert.Equal([0], plan.Unroutable);
    }
}
