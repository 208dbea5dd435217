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
        try
        {
            await receiver.WaitForCountAsync(subscribers, patience, what);
            while (true)
            {
                // The count before the tally: an arrival between the two is then waited for no longer than it takes.
                var seen = receiver.Count;
                if (receiver.Tally().Distinct >= subscribers)
                {
                    return;
                }

                await receiver.WaitForCountAsync(seen + 1, deadline - DateTime.UtcNow, what);
            }
        }
        catch (TimeoutException ex)
        {
            var reached = receiver.Received.Where(r => r.Type == "Notification").Select(r => r.Path).ToHashSet();
            var missing = Enumerable.Range(0, subscribers).Where(i => !reached.Any(p => p.EndsWith("/" + i, StringComparison.Ordinal))).ToList();
            throw new TimeoutException($"{ex.Message} Not reached: {missing.Count} subscribers, by index: {string.Join(", ", missing.Take(40))}", ex);
        }
    }
}
