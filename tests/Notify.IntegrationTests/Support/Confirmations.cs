namespace Notify.IntegrationTests.Support;

internal static class Confirmations
{
    /// <summary>
    /// Creates the topic, subscribes <paramref name="receiver"/>'s endpoint, waits for the confirmation
    /// request there and follows its link, as the endpoint's owner would.
    /// </summary>
    /// <returns>The confirmed subscription's id.</returns>
    public static async Task<string> SubscribeConfirmedAsync(this NotifyService notify, WebhookReceiver receiver, string topic, string path)
    {
        await notify.Client.CreateTopicAsync(topic);
        var subscription = await notify.Client.SubscribeAsync(topic, "webhook", receiver.Url(path).AbsoluteUri);
        var id = subscription.GetProperty("id").GetString()!;
        bool IsMine(ReceivedWebhook r) => r.Type == "SubscriptionConfirmation" && r.Json.GetProperty("subscriptionId").GetString() == id;
        var received = await receiver.WaitUntilAsync(r => r.Any(IsMine), TimeSpan.FromSeconds(30), $"the confirmation of {id}");
        await NotifyClient.FollowLinkAsync(received.First(IsMine).Json.GetProperty("confirmUrl").GetString()!);
        return id;
    }
}
