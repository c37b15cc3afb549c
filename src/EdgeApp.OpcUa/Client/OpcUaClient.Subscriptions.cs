namespace EdgeApp.OpcUa.Client;

/// <summary>Subscriptions (Part 4 §5.13): created here, then fed by the client's publishing engine.</summary>
public sealed partial class OpcUaClient
{
    /// <summary>The subscriptions of this client (kept across reconnects).</summary>
    public IReadOnlyCollection<Subscription> Subscriptions => Engine.All;

    /// <summary>
    /// Creates a subscription (CreateSubscription, Part 4 §5.13.2). Add items with <see cref="Subscription.AddItemsAsync"/>;
    /// values then arrive through <see cref="Subscription.DataChanged"/> or <see cref="Subscription.ReadNotificationsAsync"/>.
    /// </summary>
    public async Task<Subscription> CreateSubscriptionAsync(SubscriptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var subscription = new Subscription(this, options ?? new SubscriptionOptions());
        await subscription.CreateOnServerAsync(cancellationToken);
        return subscription;
    }
}
