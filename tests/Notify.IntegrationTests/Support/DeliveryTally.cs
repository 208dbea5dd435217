namespace Notify.IntegrationTests.Support;

/// <summary>
/// The notifications a <see cref="WebhookReceiver"/> answered 2xx, by message and subscription: which pairs
/// were delivered, which more than once (at least once allows it), and which accepted pairs never were.
/// </summary>
public sealed class DeliveryTally
{
    private readonly Dictionary<(string MessageId, string SubscriptionId), int> _delivered;

    public DeliveryTally(IEnumerable<(ReceivedWebhook Request, int Status)> answered)
    {
        _delivered = answered
            .Where(a => a.Status is >= 200 and < 300 && a.Request.Type == "Notification")
            .GroupBy(a => (MessageId(a.Request), SubscriptionId(a.Request)))
            .ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Distinct (message, subscription) pairs answered 2xx.</summary>
    public int DeliveredPairs => _delivered.Count;

    /// <summary>2xx answers beyond the first of each pair.</summary>
    public int Duplicates => _delivered.Values.Sum(n => n - 1);

    /// <summary>The messages some subscriber was delivered more than once.</summary>
    public IReadOnlySet<string> DuplicatedMessages => _delivered.Where(p => p.Value > 1).Select(p => p.Key.MessageId).ToHashSet();

    /// <summary>The pairs of <paramref name="messageIds"/> × <paramref name="subscriptionIds"/> never answered 2xx.</summary>
    public IReadOnlyList<(string MessageId, string SubscriptionId)> Missing(IEnumerable<string> messageIds, IReadOnlyCollection<string> subscriptionIds) =>
        messageIds.SelectMany(m => subscriptionIds.Select(s => (m, s))).Where(pair => !_delivered.ContainsKey(pair)).ToList();

    public static string MessageId(ReceivedWebhook request) => request.Json.GetProperty("messageId").GetString()!;

    public static string SubscriptionId(ReceivedWebhook request) => request.Json.GetProperty("subscriptionId").GetString()!;
}
