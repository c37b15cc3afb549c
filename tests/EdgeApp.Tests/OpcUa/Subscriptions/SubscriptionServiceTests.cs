using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Subscriptions;

/// <summary>
/// The subscription service set driven request by request (no client subscription engine), so each Part 4 rule is
/// observed on the wire: keep-alives, queue overflow, deadbands, triggers, Republish, lifetimes, limits.
/// </summary>
public sealed class SubscriptionServiceTests
{
    [Fact]
    public async Task Publish_ReturnsKeepAliveWithNextSequenceNumber_WhenNothingChanges()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 50, keepAlive: 3);
        await Raw.MonitorAsync(client, sub.SubscriptionId, server.Id("Int32"), handle: 7);

        var first = await Raw.PublishAsync(client);
        var initial = Raw.Values(first);
        Assert.Equal(7u, Assert.Single(initial).ClientHandle);
        Assert.Equal(-32, initial[0].Value.Value.Get<int>());
        Assert.Equal(1u, first.NotificationMessage.SequenceNumber);

        // Nothing changes: the next answer is a keep-alive after keepAlive x interval, carrying the next number unused.
        var keepAlive = await Raw.PublishAsync(client, new SubscriptionAcknowledgement(sub.SubscriptionId, 1));
        Assert.True(keepAlive.NotificationMessage.IsKeepAlive);
        Assert.Equal(2u, keepAlive.NotificationMessage.SequenceNumber);
        Assert.Equal([StatusCodes.Good], keepAlive.Results);

        // Measured with the server's own publish times (client receipt adds scheduling noise): 3 x 50 ms, with margin
        // for timer granularity on a loaded machine (a cycle may come early by up to one period).
        var gap = keepAlive.NotificationMessage.PublishTime - first.NotificationMessage.PublishTime;
        Assert.InRange(gap, TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(5));
        Assert.Empty(keepAlive.AvailableSequenceNumbers);

        var again = await Raw.PublishAsync(client);
        Assert.True(again.NotificationMessage.IsKeepAlive);
        Assert.Equal(2u, again.NotificationMessage.SequenceNumber);
    }

    [Fact]
    public async Task Publish_WithoutSubscription_IsBadNoSubscription()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => Raw.PublishAsync(client));
        Assert.Equal(StatusCodes.BadNoSubscription, ex.StatusCode);
    }

    [Theory]
    [InlineData(true, new[] { 4, 5, 6 }, 0)]
    [InlineData(false, new[] { 0, 1, 6 }, 2)]
    public async Task QueueOverflow_FollowsDiscardPolicy_AndSetsOverflowBit(bool discardOldest, int[] expected, int overflowIndex)
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Queued"), "Queued", 0);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 500);
        var item = await Raw.MonitorAsync(client, sub.SubscriptionId, variable.NodeId, 1, sampling: 10, queueSize: 3, discardOldest: discardOldest);
        Assert.Equal(3u, item.RevisedQueueSize);
        for (var i = 1; i <= 6; i++)
        {
            variable.Value = i;
            await WaitForSampleAsync(server, variable);
        }

        var values = Raw.Values(await Raw.PublishAsync(client));
        Assert.Equal(expected, values.Select(v => v.Value.Value.Get<int>()));
        for (var i = 0; i < values.Length; i++)
        {
            var overflow = (values[i].Value.StatusCode.Code & StatusCodes.OverflowBits) == StatusCodes.OverflowBits;
            Assert.Equal(i == overflowIndex, overflow);
            Assert.True(values[i].Value.StatusCode.IsGood);
        }
    }

    [Fact]
    public async Task QueueSizeOne_KeepsNewestValue_WithoutOverflowBit()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Newest"), "Newest", 0);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 500);
        await Raw.MonitorAsync(client, sub.SubscriptionId, variable.NodeId, 1, sampling: 10, queueSize: 1);
        for (var i = 1; i <= 4; i++)
        {
            variable.Value = i;
            await WaitForSampleAsync(server, variable);
        }

        var value = Assert.Single(Raw.Values(await Raw.PublishAsync(client)));
        Assert.Equal(4, value.Value.Value.Get<int>());
        Assert.Equal(StatusCodes.Good, value.Value.StatusCode);
    }

    [Fact]
    public async Task AbsoluteDeadband_ReportsOnlyChangesBeyondIt_FromTheLastReportedValue()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Analog"), "Analog", 0.0);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 500);
        var filter = new DataChangeFilter { DeadbandType = DeadbandType.Absolute, DeadbandValue = 5 };
        var item = await Raw.MonitorAsync(client, sub.SubscriptionId, variable.NodeId, 1, sampling: 10, queueSize: 10, filter: filter);
        Assert.Equal(StatusCodes.Good, item.StatusCode);
        foreach (var v in new[] { 3.0, 6.0, 8.0, 10.5, 12.0, 7.5, 6.5 })
        {
            variable.Value = v;
            await WaitForSampleAsync(server, variable);
        }

        // 0 (initial), 3 (|3-0| <= 5: no), 6 (yes), 8 (no), 10.5 (no: 4.5 from 6), 12 (yes), 7.5 (no: 4.5), 6.5 (yes: 5.5)
        var values = Raw.Values(await Raw.PublishAsync(client)).Select(v => v.Value.Value.Get<double>());
        Assert.Equal([0.0, 6.0, 12.0, 6.5], values);
    }

    [Fact]
    public async Task PercentDeadband_UsesEURange_AndIsRefusedWithoutOne()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var a = server.Server.AddressSpace;
        var analog = a.AddVariable(server.TestFolder, server.Id("Percent"), "Percent", 100.0);
        a.AddProperty(analog, server.Id("Percent.EURange"), new QualifiedName(0, "EURange"), new Variant(new ExtensionObject(new EdgeApp.OpcUa.Services.Range(0, 200))), DataTypeIds.Structure);
        var plain = a.AddVariable(server.TestFolder, server.Id("NoRange"), "NoRange", 1.0);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 500);
        var percent = new DataChangeFilter { DeadbandType = DeadbandType.Percent, DeadbandValue = 5 }; // 5% of 200 = 10

        Assert.Equal(StatusCodes.BadFilterNotAllowed, (await Raw.MonitorAsync(client, sub.SubscriptionId, plain.NodeId, 2, filter: percent)).StatusCode);
        Assert.Equal(StatusCodes.BadFilterNotAllowed, (await Raw.MonitorAsync(client, sub.SubscriptionId, server.Id("String"), 3, filter: percent with { DeadbandType = DeadbandType.Absolute })).StatusCode);
        Assert.Equal(StatusCodes.BadDeadbandFilterInvalid, (await Raw.MonitorAsync(client, sub.SubscriptionId, analog.NodeId, 4, filter: percent with { DeadbandValue = 101 })).StatusCode);
        Assert.Equal(StatusCodes.Good, (await Raw.MonitorAsync(client, sub.SubscriptionId, analog.NodeId, 1, sampling: 10, queueSize: 10, filter: percent)).StatusCode);
        foreach (var v in new[] { 105.0, 109.0, 111.0, 115.0, 121.5 })
        {
            analog.Value = v;
            await WaitForSampleAsync(server, analog);
        }

        var values = Raw.Values(await Raw.PublishAsync(client)).Select(v => v.Value.Value.Get<double>());
        Assert.Equal([100.0, 111.0, 121.5], values);
    }

    [Fact]
    public async Task Trigger_StatusValueIgnoresRewrites_StatusValueTimestampReportsThem()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Same"), "Same", 5);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 500);
        await Raw.MonitorAsync(client, sub.SubscriptionId, variable.NodeId, 1, sampling: 10, queueSize: 10);
        await Raw.MonitorAsync(client, sub.SubscriptionId, variable.NodeId, 2, sampling: 10, queueSize: 10, filter: new DataChangeFilter { Trigger = DataChangeTrigger.StatusValueTimestamp });
        await Raw.MonitorAsync(client, sub.SubscriptionId, variable.NodeId, 3, sampling: 10, queueSize: 10, filter: new DataChangeFilter { Trigger = DataChangeTrigger.Status });
        for (var i = 0; i < 3; i++)
        {
            variable.Set(5, StatusCodes.Good, DateTime.UtcNow.AddSeconds(i + 1));
            await WaitForSampleAsync(server, variable);
        }

        variable.Set(5, StatusCodes.Uncertain);
        await WaitForSampleAsync(server, variable);
        var values = Raw.Values(await Raw.PublishAsync(client));
        Assert.Equal(2, values.Count(v => v.ClientHandle == 1)); // initial + status change
        Assert.Equal(5, values.Count(v => v.ClientHandle == 2)); // initial + 3 timestamps + status change
        Assert.Equal(2, values.Count(v => v.ClientHandle == 3)); // initial + status change
    }

    [Fact]
    public async Task Republish_ReturnsALostMessage_UntilItIsAcknowledged()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 50);
        await Raw.MonitorAsync(client, sub.SubscriptionId, server.Counter.NodeId, 9, sampling: 10);

        // The response "gets lost": the client never processes it, and learns about it from the next sequence number.
        var lost = await Raw.PublishAsync(client);
        var sequence = lost.NotificationMessage.SequenceNumber;
        server.Counter.Value = 77;
        var next = await Raw.PublishAsync(client);
        Assert.Equal(sequence + 1, next.NotificationMessage.SequenceNumber);
        Assert.Contains(sequence, next.AvailableSequenceNumbers);

        var again = await client.SendAsync<RepublishResponse>(new RepublishRequest { SubscriptionId = sub.SubscriptionId, RetransmitSequenceNumber = sequence });
        Assert.Equal(sequence, again.NotificationMessage.SequenceNumber);
        Assert.Equal(Raw.Values(lost).Select(v => v.Value.Value), Raw.Values(again.NotificationMessage).Select(v => v.Value.Value));

        var acked = await Raw.PublishAsync(client, new SubscriptionAcknowledgement(sub.SubscriptionId, sequence), new SubscriptionAcknowledgement(sub.SubscriptionId, 999));
        Assert.Equal([StatusCodes.Good, StatusCodes.BadSequenceNumberUnknown], acked.Results);
        var gone = await Assert.ThrowsAsync<OpcUaException>(() => client.SendAsync<RepublishResponse>(new RepublishRequest { SubscriptionId = sub.SubscriptionId, RetransmitSequenceNumber = sequence }));
        Assert.Equal(StatusCodes.BadMessageNotAvailable, gone.StatusCode);
    }

    [Fact]
    public async Task MaxNotificationsPerPublish_SplitsIntoMessages_WithMoreNotifications()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 50, maxNotifications: 10);
        var nodes = Enumerable.Range(0, 25).Select(i => server.Id($"Many{i:00}")).ToArray();
        await client.SendAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest
        {
            SubscriptionId = sub.SubscriptionId,
            ItemsToCreate = nodes.Select((n, i) => Raw.Item(n, (uint)i)).ToArray(),
        });

        var counts = new List<int>();
        var more = new List<bool>();
        while (counts.Sum() < 25)
        {
            var response = await Raw.PublishAsync(client);
            counts.Add(Raw.Values(response).Length);
            more.Add(response.MoreNotifications);
        }

        Assert.Equal([10, 10, 5], counts);
        Assert.Equal([true, true, false], more);
    }

    [Fact]
    public async Task SetMonitoringMode_SamplingQueuesWithoutReporting_ReportingDeliversTheQueue()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Mode"), "Mode", 0);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 50, keepAlive: 2);
        var item = await Raw.MonitorAsync(client, sub.SubscriptionId, variable.NodeId, 1, sampling: 10, queueSize: 10, mode: MonitoringMode.Sampling);
        variable.Value = 1;
        await WaitForSampleAsync(server, variable);
        Assert.True((await Raw.PublishAsync(client)).NotificationMessage.IsKeepAlive);

        await client.SendAsync<SetMonitoringModeResponse>(new SetMonitoringModeRequest { SubscriptionId = sub.SubscriptionId, MonitoringMode = MonitoringMode.Reporting, MonitoredItemIds = [item.MonitoredItemId] });
        Assert.Equal([0, 1], Raw.Values(await Raw.PublishAsync(client)).Select(v => v.Value.Value.Get<int>()));

        var results = await client.SendAsync<SetMonitoringModeResponse>(new SetMonitoringModeRequest { SubscriptionId = sub.SubscriptionId, MonitoringMode = MonitoringMode.Disabled, MonitoredItemIds = [item.MonitoredItemId, 4242] });
        Assert.Equal([StatusCodes.Good, StatusCodes.BadMonitoredItemIdInvalid], results.Results);
        // A witness item at the same sampling interval: once its new value is published, a tick and a publishing cycle
        // have passed since the write, so the disabled item would have reported by then.
        var witness = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("ModeWitness"), "ModeWitness", 0);
        await Raw.MonitorAsync(client, sub.SubscriptionId, witness.NodeId, 2, sampling: 10);
        variable.Value = 2;
        witness.Value = 1;
        await WaitForSampleAsync(server, witness);
        var seen = new List<MonitoredItemNotification>();
        for (var i = 0; i < 20 && !seen.Any(v => v.ClientHandle == 2 && v.Value.Value.Get<int>() == 1); i++)
        {
            seen.AddRange(Raw.Values(await Raw.PublishAsync(client)));
        }

        Assert.Contains(seen, v => v.ClientHandle == 2 && v.Value.Value.Get<int>() == 1);
        Assert.DoesNotContain(seen, v => v.ClientHandle == 1);
    }

    [Fact]
    public async Task Lifetime_WithoutPublishRequests_DeletesTheSubscription_AndTellsTheNextPublish()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 20, keepAlive: 1, lifetime: 3);
        Assert.Equal(3u, sub.RevisedLifetimeCount);
        var other = await Raw.CreateSubscriptionAsync(client, interval: 1000, keepAlive: 100, lifetime: 1000);
        await WaitUntilAsync(() => server.Server.Subscriptions.Count == 1, TimeSpan.FromSeconds(5));

        var response = await Raw.PublishAsync(client);
        Assert.Equal(sub.SubscriptionId, response.SubscriptionId);
        var status = Assert.IsType<StatusChangeNotification>(Assert.Single(response.NotificationMessage.NotificationData).Body);
        Assert.Equal(StatusCodes.BadTimeout, status.Status);
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.SendAsync<RepublishResponse>(new RepublishRequest { SubscriptionId = sub.SubscriptionId, RetransmitSequenceNumber = 1 }));
        Assert.Equal(StatusCodes.BadSubscriptionIdInvalid, ex.StatusCode);
        Assert.NotEqual(0u, other.SubscriptionId);
    }

    [Fact]
    public async Task SessionTimeout_KeepsSubscriptionsForTransfer_ToANewSession()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MinSessionTimeout = TimeSpan.FromMilliseconds(300) } };
        await using var server = await TestServer.StartAsync(tcp: false, options);
        var silent = new ClientOptions { SessionTimeout = TimeSpan.FromMilliseconds(300), KeepAliveInterval = TimeSpan.Zero, Reconnect = new ReconnectPolicy { Enabled = false } };
        await using var first = await server.ConnectAsync(silent);
        var sub = await Raw.CreateSubscriptionAsync(first, interval: 100, keepAlive: 10, lifetime: 100);
        await Raw.MonitorAsync(first, sub.SubscriptionId, server.Counter.NodeId, 5, sampling: 10);

        await WaitUntilAsync(() => server.Server.Sessions.Count == 0, TimeSpan.FromSeconds(5));
        var expired = await Assert.ThrowsAsync<OpcUaException>(() => first.ReadAsync(server.Counter.NodeId));
        Assert.Equal(StatusCodes.BadSessionIdInvalid, expired.StatusCode);
        Assert.Equal(1, server.Server.Subscriptions.Count);

        await using var second = await server.ConnectAsync();
        var transfer = await second.SendAsync<TransferSubscriptionsResponse>(new TransferSubscriptionsRequest { SubscriptionIds = [sub.SubscriptionId, 999] });
        Assert.Equal(StatusCodes.Good, transfer.Results[0].StatusCode);
        Assert.Equal(StatusCodes.BadSubscriptionIdInvalid, transfer.Results[1].StatusCode);
        server.Counter.Value = 31;
        var values = await Raw.PublishUntilValuesAsync(second);
        Assert.Contains(values, v => v.ClientHandle == 5);
    }

    [Fact]
    public async Task CloseSession_WithDeleteSubscriptions_DeletesThem()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var client = await server.ConnectAsync();
        await Raw.CreateSubscriptionAsync(client, interval: 100);
        Assert.Equal(1, server.Server.Subscriptions.Count);
        await client.DisposeAsync(); // CloseSession(DeleteSubscriptions = true)
        Assert.Equal(0, server.Server.Subscriptions.Count);
        Assert.Equal(0, server.Server.Subscriptions.MonitoredItemCount);
    }

    [Fact]
    public async Task Limits_SubscriptionsPerSession_MonitoredItemsPerSubscription_PublishRequests()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MaxSubscriptionsPerSession = 2, MaxMonitoredItemsPerSubscription = 3, MaxPublishRequestsPerSession = 2 } };
        await using var server = await TestServer.StartAsync(tcp: false, options);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 100, keepAlive: 100);
        await Raw.CreateSubscriptionAsync(client, interval: 100, keepAlive: 100);
        var tooMany = await Assert.ThrowsAsync<OpcUaException>(() => Raw.CreateSubscriptionAsync(client));
        Assert.Equal(StatusCodes.BadTooManySubscriptions, tooMany.StatusCode);

        var created = await client.SendAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest
        {
            SubscriptionId = sub.SubscriptionId,
            ItemsToCreate = Enumerable.Range(0, 5).Select(i => Raw.Item(server.Id($"Many{i:00}"), (uint)i)).ToArray(),
        });
        Assert.Equal(3, created.Results.Count(r => r.StatusCode.IsGood));
        Assert.Equal(2, created.Results.Count(r => r.StatusCode == StatusCodes.BadTooManyMonitoredItems));

        // Drain the initial values and the first keep-alive, then park three requests: the oldest is refused.
        await Raw.PublishAsync(client);
        await Raw.PublishAsync(client);
        var parked = Enumerable.Range(0, 3).Select(_ => Raw.PublishAsync(client)).ToArray();
        var refused = await Assert.ThrowsAsync<OpcUaException>(() => parked[0]);
        Assert.Equal(StatusCodes.BadTooManyPublishRequests, refused.StatusCode);
        Assert.False(parked[1].IsCompleted);
    }

    [Fact]
    public async Task SamplingTimers_AreSharedPerInterval_NotPerItem()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 1000);
        double[] intervals = [10, 100, 250];
        var response = await client.SendAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest
        {
            SubscriptionId = sub.SubscriptionId,
            ItemsToCreate = Enumerable.Range(0, 300).Select(i => Raw.Item(server.Id($"Many{i % 25:00}"), (uint)i, intervals[i % 3])).ToArray(),
        });
        Assert.All(response.Results, r => Assert.Equal(StatusCodes.Good, r.StatusCode));
        Assert.Equal(intervals, response.Results.Select(r => r.RevisedSamplingInterval).Distinct().Order());
        Assert.Equal(3, server.Server.Subscriptions.SamplingTimerCount);
        Assert.Equal(300, server.Server.Subscriptions.MonitoredItemCount);

        // -1 means the publishing interval; 0 the fastest supported (10 ms by default).
        var revised = await Raw.MonitorAsync(client, sub.SubscriptionId, server.Counter.NodeId, 1000, sampling: -1);
        Assert.Equal(1000, revised.RevisedSamplingInterval);
        Assert.Equal(10, (await Raw.MonitorAsync(client, sub.SubscriptionId, server.Counter.NodeId, 1001, sampling: 0)).RevisedSamplingInterval);
        Assert.Equal(4, server.Server.Subscriptions.SamplingTimerCount);

        await client.SendAsync<DeleteSubscriptionsResponse>(new DeleteSubscriptionsRequest { SubscriptionIds = [sub.SubscriptionId] });
        Assert.Equal(0, server.Server.Subscriptions.SamplingTimerCount);
        Assert.Equal(0, server.Server.Subscriptions.MonitoredItemCount);
    }

    [Fact]
    public async Task CreateMonitoredItems_ReportsPerItemErrors()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 1000);
        var response = await client.SendAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest
        {
            SubscriptionId = sub.SubscriptionId,
            ItemsToCreate =
            [
                Raw.Item(server.Id("Missing"), 1),
                Raw.Item(server.Id("WriteOnly"), 2),
                new MonitoredItemCreateRequest { ItemToMonitor = new ReadValueId { NodeId = server.Id("Int32"), AttributeId = (AttributeId)99 } },
                new MonitoredItemCreateRequest { ItemToMonitor = new ReadValueId { NodeId = server.Id("Int32") }, MonitoringMode = (MonitoringMode)7 },
                new MonitoredItemCreateRequest { ItemToMonitor = new ReadValueId { NodeId = server.Id("Int32Array"), IndexRange = "1:2" } },
                new MonitoredItemCreateRequest { ItemToMonitor = new ReadValueId { NodeId = server.Id("Int32"), AttributeId = AttributeId.DisplayName }, RequestedParameters = new MonitoringParameters { ClientHandle = 6 } },
            ],
        });
        Assert.Equal(
            [StatusCodes.BadNodeIdUnknown, StatusCodes.BadNotReadable, StatusCodes.BadAttributeIdInvalid, StatusCodes.BadMonitoringModeInvalid, StatusCodes.Good, StatusCodes.Good],
            response.Results.Select(r => r.StatusCode));
        var values = await Raw.PublishUntilValuesAsync(client);
        Assert.Equal(new[] { 2, 3 }, values.Single(v => v.ClientHandle == 0).Value.Value.Get<int[]>());
        Assert.Equal("Int32", values.Single(v => v.ClientHandle == 6).Value.Value.Get<LocalizedText>().Text);

        var wrong = await Assert.ThrowsAsync<OpcUaException>(() => Raw.MonitorAsync(client, 4242, server.Counter.NodeId, 1));
        Assert.Equal(StatusCodes.BadSubscriptionIdInvalid, wrong.StatusCode);
    }

    [Fact]
    public async Task SlowConsumer_WithoutPublishRequests_HoldsBoundedQueues_ThenExpires()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var folder = server.Server.AddressSpace.AddFolder(server.TestFolder, server.Id("Slow"), "Slow");
        var variables = Enumerable.Range(0, 2000).Select(i => server.Server.AddressSpace.AddVariable(folder, server.Id($"Slow{i}"), $"Slow{i}", 0)).ToArray();
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 20, keepAlive: 5, lifetime: 50);
        await client.SendAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest
        {
            SubscriptionId = sub.SubscriptionId,
            ItemsToCreate = variables.Select((v, i) => Raw.Item(v.NodeId, (uint)i, 10, queueSize: 5)).ToArray(),
        });

        var subscription = server.Server.Sessions.Sessions.Single().Subscriptions.Values.Single();
        var maxQueued = 0;
        for (var round = 1; round <= 40 && !subscription.Deleted; round++)
        {
            foreach (var variable in variables)
            {
                variable.Value = round;
            }

            await Task.Delay(15);
            lock (subscription.Gate)
            {
                maxQueued = Math.Max(maxQueued, subscription.Items.Values.Sum(i => i.QueuedCount));
            }
        }

        // Memory is bounded by the queues: never more than queue size values per item, nothing sent so nothing retained.
        Assert.InRange(maxQueued, 2000, 2000 * 5);
        await WaitUntilAsync(() => server.Server.Subscriptions.Count == 0, TimeSpan.FromSeconds(5));
        Assert.Equal(0, server.Server.Subscriptions.MonitoredItemCount);
    }

    /// <summary>Waits until the sampler has seen the variable's latest write (deterministic even on a loaded machine).</summary>
    internal static Task WaitForSampleAsync(TestServer server, EdgeApp.OpcUa.Server.AddressSpace.VariableNode variable) =>
        WaitForSampleAsync(server.Server, variable);

    internal static async Task WaitForSampleAsync(EdgeApp.OpcUa.Server.OpcUaServer server, EdgeApp.OpcUa.Server.AddressSpace.VariableNode variable)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!SamplerCaughtUp(server, variable))
        {
            Assert.True(DateTime.UtcNow < deadline, "the sampler did not see the write");
            await Task.Delay(5);
        }
    }

    /// <summary>Every live monitored item of <paramref name="variable"/> has sampled its latest write.</summary>
    internal static bool SamplerCaughtUp(EdgeApp.OpcUa.Server.OpcUaServer server, EdgeApp.OpcUa.Server.AddressSpace.VariableNode variable)
    {
        var changeCount = variable.ChangeCount;
        foreach (var subscription in server.Subscriptions.All)
        {
            lock (subscription.Gate)
            {
                if (subscription.Items.Values.Any(i => ReferenceEquals(i.Variable, variable) && !i.Deleted && i.Mode != MonitoringMode.Disabled && i.LastChangeCount != changeCount))
                {
                    return false;
                }
            }
        }

        return true;
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
