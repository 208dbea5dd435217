namespace Notify.IntegrationTests.Support;

/// <summary>What a receiver standing in for many subscribers (one path each) got of a large fan-out.</summary>
internal static class FanOutTally
{
    /// <summary>Notifications received, and how many distinct subscribers (paths) they reached.</summary>
    public static (int Requests, int Distinct) Tally(this WebhookReceiver receiver)
    {
        var notifications = receiver.Received.Where(r => r.Type == "Notification").ToList();
        return (notifications.Count, notifications.Select(r => r.Path).Distinct().Count());
    }

    /// <summary>Waits until every one of <paramref name="subscribers"/> paths got a notification.</summary>
    public static async Task WaitForEverySubscriberAsync(this WebhookReceiver receiver, int subscribers, TimeSpan patience)
    {
        var what = $"deliveries to all {subscribers} subscribers";
        var deadline = DateTime.UtcNow + patience;
        await receiver.WaitForCountAsync(subscribers, patience, what);
        while (receiver.Tally().Distinct < subscribers)
        {
            await receiver.WaitForCountAsync(receiver.Count + 1, deadline - DateTime.UtcNow, what);
        }
    }
}
