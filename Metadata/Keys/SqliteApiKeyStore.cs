using System.Data.Common;
using Microsoft.Data.Sqlite;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Metadata.Store.Embedded;
using static Notify.Metadata.Store.Embedded.SqliteRows;

namespace Notify.Metadata.Keys;

/// <summary>
/// Keys of Embedded mode: one row per key in the metadata file's <c>api_keys</c> (made by <see cref="SqliteMetadataSchema"/>),
/// the hash unique and indexed for the lookup of every request. Commits are fsync'd with the rest of the file:
/// a 201 for a key survives a power cut, and so does a 204 for its delete.
/// </summary>
internal sealed class SqliteApiKeyStore(string path) : IApiKeyStore
{
    private const string Columns = "id, name, key_hash, permissions, topics, publish_per_second, publish_burst, requests_per_second, requests_burst, created_at, expires_at";
    private const string Listing = "keys";

    private readonly SqliteMetadataFile _file = new(path);

    public Task CreateAsync(ApiKey key, CancellationToken cancellationToken) =>
        _file.WriteAsync(async connection =>
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO api_keys ({Columns})
            VALUES ($id, $name, $hash, $permissions, $topics, $publishPerSecond, $publishBurst, $requestsPerSecond, $requestsBurst, $createdAt, $expiresAt)
            """;
        command.Parameters.AddWithValue("$id", key.Id);
        command.Parameters.AddWithValue("$name", key.Name);
        command.Parameters.AddWithValue("$hash", key.KeyHash);
        command.Parameters.AddWithValue("$permissions", ApiKeyFields.JoinPermissions(key.Permissions));
        command.Parameters.AddWithValue("$topics", ApiKeyFields.Join(key.Topics));
        command.Parameters.AddWithValue("$publishPerSecond", Nullable(key.RateLimit?.PublishPerSecond));
        command.Parameters.AddWithValue("$publishBurst", Nullable(key.RateLimit?.PublishBurst));
        command.Parameters.AddWithValue("$requestsPerSecond", Nullable(key.RateLimit?.RequestsPerSecond));
        command.Parameters.AddWithValue("$requestsBurst", Nullable(key.RateLimit?.RequestsBurst));
        command.Parameters.AddWithValue("$createdAt", key.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expiresAt", Nullable(key.ExpiresAt?.ToUnixTimeMilliseconds()));
        return await command.ExecuteNonQueryAsync();
    }, cancellationToken);

    public Task<ApiKey?> GetAsync(string id, CancellationToken cancellationToken) =>
        ReadOneAsync("id = $value", id, cancellationToken);

    public Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        ReadOneAsync("key_hash = $value", keyHash, cancellationToken);

    public async Task<Page<ApiKey>> ListAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(Listing, cursor);
        await using var connection = await _file.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_keys WHERE id > $after ORDER BY id LIMIT $limit";
        command.Parameters.AddWithValue("$after", after ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var keys = new List<ApiKey>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(Read(reader));
            }
        }

        return PageCut.ToPage(keys, limit, k => Cursor.Encode(Listing, k.Id));
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        _file.WriteAsync(async connection =>
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM api_keys WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync() == 1;
    }, cancellationToken);

    private async Task<ApiKey?> ReadOneAsync(string condition, string value, CancellationToken cancellationToken)
    {
        await using var connection = await _file.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_keys WHERE {condition}";
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ApiKey Read(DbDataReader reader)
    {
        double? Real(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
        int? Integer(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
        var rateLimit = new ApiKeyRateLimit(Real(5), Integer(6), Real(7), Integer(8));
        return new ApiKey
        {
            Id = reader.GetString(0),
            Name = reader.GetString(1),
            KeyHash = reader.GetString(2),
            Permissions = ApiKeyFields.SplitPermissions(reader.GetString(3)),
            Topics = ApiKeyFields.Split(reader.GetString(4)),
            RateLimit = rateLimit == new ApiKeyRateLimit(null, null, null, null) ? null : rateLimit,
            CreatedAt = Time(reader, 9),
            ExpiresAt = reader.IsDBNull(10) ? null : Time(reader, 10),
        };
    }
}
