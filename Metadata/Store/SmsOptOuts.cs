using Notify.Metadata.Model;

namespace Notify.Metadata.Store;

public static class SmsOptOuts
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    /// <summary>
    /// The numbers among <paramref name="subscriptions"/>' SMS endpoints that replied STOP: one store read
    /// for all of them, none when there is no SMS subscription.
    /// </summary>
    public static async Task<IReadOnlySet<string>> OptedOutNumbersAsync(
        this IMetadataStore store, IEnumerable<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        var numbers = subscriptions.Where(s => s.Protocol == Protocol.Sms).Select(s => s.Endpoint).Distinct().ToList();
        return numbers.Count == 0 ? None : await store.GetSmsOptedOutAsync(numbers, cancellationToken);
    }

    /// <summary>True when <paramref name="subscription"/> is an SMS subscription whose number is in <paramref name="optedOut"/>.</summary>
    public static bool IsOptedOut(this Subscription subscription, IReadOnlySet<string> optedOut) =>
        subscription.Protocol == Protocol.Sms && optedOut.Contains(subscription.Endpoint);
}
