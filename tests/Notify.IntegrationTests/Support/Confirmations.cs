namespace Notify.IntegrationTests.Support;

internal static class Confirmations
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Creates the topic, subscribes <paramref name="receiver"/>'s endpoint, waits for the confirmation
    /// request there and follows its link, as the endpoint's owner would.
    /// </summary>
    /// <returns>The confirmed subscription's id.</returns>
    public static Task<string> SubscribeConfirmedAsync(this NotifyService notify, WebhookReceiver receiver, string topic, string path) =>
        notify.Client.SubscribeConfirmedAsync(receiver, topic, path);

    /// <inheritdoc cref="SubscribeConfirmedAsync(NotifyService, WebhookReceiver, string, string)"/>
    public static async Task<string> SubscribeConfirmedAsync(this NotifyClient client, WebhookReceiver receiver, string topic, string path)
    {
        await client.CreateTopicAsync(topic);
        var subscription = await client.SubscribeAsync(topic, "webhook", receiver.Url(path).AbsoluteUri);
        var id = subscription.GetProperty("id").GetString()!;
        bool IsMine(ReceivedWebhook r) => r.Type == "SubscriptionConfirmation" && r.Json.GetProperty("subscriptionId").GetString() == id;
        var received = await receiver.WaitUntilAsync(r => r.Any(IsMine), Patience, $"the confirmation of {id}");
        await NotifyClient.FollowLinkAsync(received.First(IsMine).Json.GetProperty("confirmUrl").GetString()!);
        return id;
    }
}
