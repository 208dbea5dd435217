using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Metadata.Store.DynamoDb;
using Notify.Shared.Configuration;

namespace Notify.Metadata.Keys;

/// <summary>
/// Keys of Aws mode, in the metadata table as two items per key, each holding the whole key:
/// <list type="bullet">
/// <item>listed: <c>apikeys / {id}</c>, one partition for all keys, so the listing is one consistent Query in id
/// (creation) order; keys are few and only the admin lists them;</item>
/// <item>found: <c>apikeyhash#{sha256} / apikeyhash</c>, so the lookup of a presented key is one consistent GetItem.</item>
/// </list>
/// No transactions (dynalite has none), so the order of the writes keeps a crash harmless: a create writes the
/// listed item first and a delete removes the found item first. A crash in between leaves at worst a listed key
/// that authenticates nobody, which a DELETE removes, never a working key missing from the listing.
/// </summary>
internal sealed class DynamoDbApiKeyStore : IApiKeyStore
{
    private const string Pk = MetadataKeys.Pk;
    private const string Sk = MetadataKeys.Sk;
    private const string ListedPartition = "apikeys";
    private const string Listing = "keys";

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;

    public DynamoDbApiKeyStore(IAmazonDynamoDB client, IOptions<AwsOptions> options)
    {
        _client = client;
        _table = TableDefinitions.MetadataName(options.Value);
    }

    public async Task CreateAsync(ApiKey key, CancellationToken cancellationToken)
    {
        await PutAsync(Item(Listed(key.Id), key), cancellationToken);
        await PutAsync(Item(Found(key.KeyHash), key), cancellationToken);
    }

    public Task<ApiKey?> GetAsync(string id, CancellationToken cancellationToken) => ReadAsync(Listed(id), cancellationToken);

    public Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken) => ReadAsync(Found(keyHash), cancellationToken);

    public async Task<Page<ApiKey>> ListAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(Listing, cursor);
        var keys = new List<ApiKey>(limit + 1);
        Dictionary<string, AttributeValue>? start = after is null ? null : Listed(after);
        do
        {
            var response = await _client.QueryAsync(new QueryRequest
            {
                TableName = _table,
                KeyConditionExpression = "#pk = :pk",
                ExpressionAttributeNames = new() { ["#pk"] = Pk },
                ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = ListedPartition } },
                ConsistentRead = true,
                Limit = limit + 1 - keys.Count,
                ExclusiveStartKey = start,
            }, cancellationToken);
            keys.AddRange((response.Items ?? []).Select(Read));
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null && keys.Count <= limit);

        return PageCut.ToPage(keys, limit, k => Cursor.Encode(Listing, k.Id));
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } key)
        {
            return false;
        }

        await _client.DeleteItemAsync(new DeleteItemRequest { TableName = _table, Key = Found(key.KeyHash) }, cancellationToken);
        var deleted = await _client.DeleteItemAsync(new DeleteItemRequest { TableName = _table, Key = Listed(id), ReturnValues = ReturnValue.ALL_OLD }, cancellationToken);
        return deleted.Attributes is { Count: > 0 };
    }

    private Task PutAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken) =>
        _client.PutItemAsync(new PutItemRequest { TableName = _table, Item = item }, cancellationToken);

    private async Task<ApiKey?> ReadAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(new GetItemRequest { TableName = _table, Key = key, ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? Read(item) : null;
    }

    private static Dictionary<string, AttributeValue> Listed(string id) => Key(ListedPartition, id);

    private static Dictionary<string, AttributeValue> Found(string keyHash) => Key("apikeyhash#" + keyHash, "apikeyhash");

    private static Dictionary<string, AttributeValue> Key(string pk, string sk) => new()
    {
        [Pk] = new AttributeValue { S = pk },
        [Sk] = new AttributeValue { S = sk },
    };

    private static Dictionary<string, AttributeValue> Item(Dictionary<string, AttributeValue> key, ApiKey apiKey)
    {
        var item = new Dictionary<string, AttributeValue>(key)
        {
            ["id"] = new() { S = apiKey.Id },
            ["name"] = new() { S = apiKey.Name },
            ["keyHash"] = new() { S = apiKey.KeyHash },
            ["permissions"] = new() { S = ApiKeyFields.JoinPermissions(apiKey.Permissions) },
            ["topics"] = new() { S = ApiKeyFields.Join(apiKey.Topics) },
            ["createdAt"] = Number(apiKey.CreatedAt.ToUnixTimeMilliseconds()),
        };
        AddNumber(item, "expiresAt", apiKey.ExpiresAt?.ToUnixTimeMilliseconds());
        AddNumber(item, "publishPerSecond", apiKey.RateLimit?.PublishPerSecond);
        AddNumber(item, "publishBurst", apiKey.RateLimit?.PublishBurst);
        AddNumber(item, "requestsPerSecond", apiKey.RateLimit?.RequestsPerSecond);
        AddNumber(item, "requestsBurst", apiKey.RateLimit?.RequestsBurst);
        return item;
    }

    private static ApiKey Read(Dictionary<string, AttributeValue> item)
    {
        double? Real(string name) => item.TryGetValue(name, out var value) ? double.Parse(value.N, CultureInfo.InvariantCulture) : null;
        int? Integer(string name) => item.TryGetValue(name, out var value) ? int.Parse(value.N, CultureInfo.InvariantCulture) : null;
        var rateLimit = new ApiKeyRateLimit(Real("publishPerSecond"), Integer("publishBurst"), Real("requestsPerSecond"), Integer("requestsBurst"));
        return new ApiKey
        {
            Id = item["id"].S,
            Name = item["name"].S,
            KeyHash = item["keyHash"].S,
            Permissions = ApiKeyFields.SplitPermissions(item["permissions"].S),
            Topics = ApiKeyFields.Split(item["topics"].S),
            RateLimit = rateLimit == new ApiKeyRateLimit(null, null, null, null) ? null : rateLimit,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(item["createdAt"].N, CultureInfo.InvariantCulture)),
            ExpiresAt = item.TryGetValue("expiresAt", out var expiresAt) ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(expiresAt.N, CultureInfo.InvariantCulture)) : null,
        };
    }

    private static AttributeValue Number(double value) => new() { N = value.ToString("R", CultureInfo.InvariantCulture) };

    private static void AddNumber(Dictionary<string, AttributeValue> item, string name, double? value)
    {
        if (value is { } number)
        {
            item[name] = Number(number);
        }
    }
}
