using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Ids;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// Many confirmed webhook subscriptions at once, written to the deployment's store as the Frontend writes
/// them (subscribe, then confirm): a large topic's set-up, where a confirmation handshake per subscriber would
/// only slow the test down. The fan-out under test is the product's own.
/// </summary>
internal static class BulkSubscribers
{
    /// <returns>The subscriptions' ids, in id order.</returns>
    public static async Task<List<string>> CreateAsync(IMetadataStore store, string topic, int count, Func<int, Uri> endpoint, int parallel = 16)
    {
        await store.CreateTopicAsync(topic, DateTimeOffset.UtcNow, CancellationToken.None);
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, token) =>
        {
            var (subscription, _) = await store.SubscribeAsync(new Subscription
            {
                Id = SortableId.New(TimeProvider.System),
                Topic = topic,
                Protocol = Protocol.Webhook,
                Endpoint = endpoint(i).AbsoluteUri,
                Status = SubscriptionStatus.Pending,
                CreatedAt = DateTimeOffset.UtcNow,
            }, token);
            await store.ConfirmSubscriptionAsync(subscription.Id, DateTimeOffset.UtcNow, token);
            ids[i] = subscription.Id;
        });
        return [.. ids.Order(StringComparer.Ordinal)];
    }
}
