using Notify.Tests.Support;
using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Tests.Support;

internal static class SubscriberReads
{
    /// <summary>Every confirmed subscription of <paramref name="topic"/>, as one unbounded page: what the tests compare.</summary>
    public static async Task<IReadOnlyList<Subscription>> GetConfirmedSubscriptionsAsync(this IMetadataStore store, string topic, CancellationToken cancellationToken) =>
        (await store.GetSubscriberPageAsync(topic, null, null, int.MaxValue, cancellationToken)).Subscribers;
}
