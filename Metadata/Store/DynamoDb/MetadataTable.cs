using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static Notify.Metadata.Store.DynamoDb.MetadataItems;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// The item operations the metadata store is built from, on one table: consistent reads, puts, deletes and
/// updates, the conditional ones answering "no" instead of throwing when their condition fails, and the two
/// reads every subscription operation starts from (a topic's incarnation, a subscription id's lookup).
/// </summary>
internal sealed class MetadataTable(IAmazonDynamoDB client, string name)
{
    public IAmazonDynamoDB Client => client;

    public string Name => name;

    public async Task<StoredTopic?> GetTopicAsync(string topic, CancellationToken cancellationToken) =>
        await GetAsync(MetadataKeys.Topic(topic), cancellationToken) is { } item ? ReadTopic(item) : null;

    public async Task<Pointer?> GetPointerAsync(string id, CancellationToken cancellationToken) =>
        await GetAsync(MetadataKeys.Lookup(id), cancellationToken) is { } item ? ReadLookup(item) : null;

    /// <summary>Whether the pointer's topic incarnation still exists: not deleted, not replaced by a new topic of that name.</summary>
    public async Task<bool> IsLiveAsync(Pointer pointer, CancellationToken cancellationToken) =>
        (await GetTopicAsync(pointer.Topic, cancellationToken))?.Incarnation == pointer.Incarnation;

    public async Task<Dictionary<string, AttributeValue>?> GetAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = name, Key = key, ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    public Task PutAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken) =>
        client.PutItemAsync(new PutItemRequest { TableName = name, Item = item }, cancellationToken);

    /// <summary>Puts <paramref name="item"/> unless an item with its key exists; false when one does.</summary>
    public Task<bool> TryPutAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken) =>
        TryPutAsync(new PutItemRequest
        {
            TableName = name,
            Item = item,
            ConditionExpression = "attribute_not_exists(#pk)",
            ExpressionAttributeNames = new() { ["#pk"] = MetadataKeys.Pk },
        }, cancellationToken);

    /// <summary>Puts the request's item if its condition holds; false when it does not.</summary>
    public async Task<bool> TryPutAsync(PutItemRequest request, CancellationToken cancellationToken)
    {
        request.TableName = name;
        try
        {
            await client.PutItemAsync(request, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task DeleteAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken) =>
        client.DeleteItemAsync(new DeleteItemRequest { TableName = name, Key = key }, cancellationToken);

    /// <returns>The deleted item (the request asks for ALL_OLD), or null when the request's condition failed.</returns>
    public async Task<Dictionary<string, AttributeValue>?> TryDeleteAsync(DeleteItemRequest request, CancellationToken cancellationToken)
    {
        request.TableName = name;
        request.ReturnValues = ReturnValue.ALL_OLD;
        try
        {
            return (await client.DeleteItemAsync(request, cancellationToken)).Attributes is { Count: > 0 } deleted ? deleted : null;
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    /// <returns>The updated item (the request asks for ALL_NEW), or null when the request's condition failed.</returns>
    public async Task<Dictionary<string, AttributeValue>?> TryUpdateAsync(UpdateItemRequest request, CancellationToken cancellationToken)
    {
        request.TableName = name;
        request.ReturnValues = ReturnValue.ALL_NEW;
        try
        {
            return (await client.UpdateItemAsync(request, cancellationToken)).Attributes;
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    /// <summary>Up to <paramref name="want"/> items, following DynamoDB's pages (1 MB each) as needed.</summary>
    /// <remarks>
    /// Limit counts the items read before any filter, so a filtered query may take several pages to find
    /// <paramref name="want"/> items; each asks only for as many as are still wanted.
    /// </remarks>
    public async Task<List<Dictionary<string, AttributeValue>>> QueryAsync(QueryRequest request, int want, CancellationToken cancellationToken)
    {
        request.TableName = name;
        var items = new List<Dictionary<string, AttributeValue>>();
        do
        {
            request.Limit = want == int.MaxValue ? null : want - items.Count;
            var response = await client.QueryAsync(request, cancellationToken);
            items.AddRange(response.Items ?? []);
            request.ExclusiveStartKey = response.LastEvaluatedKey;
        }
        while (items.Count < want && request.ExclusiveStartKey is { Count: > 0 });

        return items;
    }

    public Task<QueryResponse> QueryPageAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        request.TableName = name;
        return client.QueryAsync(request, cancellationToken);
    }

    public static Dictionary<string, AttributeValue> Key(Dictionary<string, AttributeValue> item) => new()
    {
        [MetadataKeys.Pk] = item[MetadataKeys.Pk],
        [MetadataKeys.Sk] = item[MetadataKeys.Sk],
    };
}
