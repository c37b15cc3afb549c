using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>A subscription re-created after the server lost it ends up with its items, even if the first try fails half-way.</summary>
public sealed class RecreateTests
{
    [Fact]
    public async Task RecreateFailingAfterCreateSubscription_IsCompletedByTheNextRestore()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        var original = server.Server.Dispatcher.HandlerFor<CreateMonitoredItemsRequest>()!;
        var failNext = 0;
        server.Server.Dispatcher.Register<CreateMonitoredItemsRequest>(
            (context, request) => Interlocked.Exchange(ref failNext, 0) == 1
                ? throw new OpcUaException(StatusCodes.BadTimeout, "injected: connection trouble during CreateMonitoredItems")
                : original(context, request),
            SessionRequirement.Activated);
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl, new ClientOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(5),
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(300) },
        });
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        var seen = new System.Collections.Concurrent.ConcurrentQueue<int>();
        subscription.DataChanged += batch =>
        {
            foreach (var change in batch.Changes)
            {
                seen.Enqueue(change.Value.Value.Get<int>());
            }
        };
        var item = await subscription.AddItemAsync(new MonitoredItemOptions(server.Counter.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10) });
        server.Counter.Value = 1;
        await SubscriptionsWait.UntilAsync(() => seen.Contains(1));
        var restored = new TaskCompletionSource<RestoreKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += kind => restored.TrySetResult(kind);

        // The server loses the subscription; the re-creation's CreateMonitoredItems then fails once.
        server.Server.Subscriptions.Delete(server.Server.Subscriptions.All.Single());
        Volatile.Write(ref failNext, 1);
        await client.AbortConnectionAsync("test");

        Assert.Equal(RestoreKind.SubscriptionsRecreated, await restored.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(item.IsCreated);
        server.Counter.Value = 2;
        await SubscriptionsWait.UntilAsync(() => seen.Contains(2));
        Assert.Equal(1, server.Server.Subscriptions.Count); // the half-built one was deleted
        Assert.Equal(1, server.Server.Subscriptions.MonitoredItemCount);
    }
}
