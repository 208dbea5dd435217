using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Model;
using static Notify.Metadata.Store.DynamoDb.MetadataItems;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Tombstones of deleted subscriptions: one item per id (<c>deleted#{id} / deleted</c>) holding the
/// subscription as it was and when it was deleted, with a TTL for the end of its retention.
/// </summary>
internal sealed class DynamoDbTombstones(MetadataTable table, TimeProvider clock)
{
    /// <summary>Keeps <paramref name="subscriptionItem"/>, as the delete returned it, under its id.</summary>
    public Task PutAsync(Dictionary<string, AttributeValue> subscriptionItem, DateTimeOffset deletedAt, CancellationToken cancellationToken) =>
        table.PutAsync(TombstoneItem(subscriptionItem, deletedAt), cancellationToken);

    public async Task<DeletedSubscription?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (await table.GetAsync(MetadataKeys.Tombstone(id), cancellationToken) is not { } item)
        {
            return null;
        }

        // DynamoDB's TTL deletes the item some time after it passed (up to days): until then it is ignored here.
        var tombstone = ReadTombstone(item);
        return tombstone.DeletedAt + DeletedSubscription.Retention > clock.GetUtcNow() ? tombstone : null;
    }
}
