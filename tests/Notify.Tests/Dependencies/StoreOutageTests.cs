using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Frontend.Dedup;
using Notify.Metadata.Store;
using Notify.Metadata.Store.DynamoDb;
using Notify.Metadata.Store.Embedded;
using Notify.Shared.Configuration;
using Notify.Shared.Dependencies;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Embedded;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Dependencies;

/// <summary>
/// Every queue and store throws the one <see cref="DependencyUnavailableException"/>, naming what is
/// unavailable, when its client cannot reach what it stands on: SQLite files that cannot be opened (their
/// folder is a file), DynamoDB with nothing listening on its port. The SQS queue's own case is in
/// <c>SqsMessageQueueWireTests</c>, the Redis ring's in <c>RedisDedupStoreTests</c>.
/// </summary>
public sealed class StoreOutageTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public StoreOutageTests()
    {
        // A file where the databases' folder should be: SQLite cannot open them (SQLITE_CANTOPEN), even as root.
        File.WriteAllText(_directory.File("not-a-folder"), "");
    }

    public void Dispose() => _directory.Dispose();

    private string UnopenableFile(string name) => Path.Combine(_directory.File("not-a-folder"), name);

    [Fact]
    public async Task SqliteQueue_WhenItsFileCannotBeOpened_ThrowsThatTheDataFilesAreUnavailable()
    {
        await using var queue = new SqliteMessageQueue(UnopenableFile("queue.db"), TestCipher.Instance, TimeProvider.System, NullLogger<SqliteMessageQueue>.Instance);

        var depth = await Assert.ThrowsAsync<DependencyUnavailableException>(() => queue.GetDepthAsync(CancellationToken.None));
        var send = await Assert.ThrowsAsync<DependencyUnavailableException>(() => queue.SendBatchAsync([new OutgoingMessage("m-1", "a")], CancellationToken.None));

        Assert.Equal(DependencyNames.DataFiles, depth.Dependency);
        Assert.Equal(DependencyNames.DataFiles, send.Dependency);
    }

    [Fact]
    public async Task SqliteMetadataStore_WhenItsFileCannotBeOpened_ThrowsThatTheDataFilesAreUnavailable()
    {
        var store = new GuardedMetadataStore(new SqliteMetadataStore(UnopenableFile("metadata.db"), TimeProvider.System), DependencyGuard.DataFiles);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => store.GetTopicAsync("orders", CancellationToken.None));

        Assert.Equal(DependencyNames.DataFiles, error.Dependency);
    }

    [Fact]
    public async Task SqliteDedupStore_WhenItsFileCannotBeOpened_ThrowsThatTheDataFilesAreUnavailable()
    {
        using var inner = new SqliteDedupStore(UnopenableFile("dedup.db"), Options.Create(new DedupOptions()), TimeProvider.System);
        var store = new GuardedDedupStore(inner, DependencyGuard.DataFiles);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => store.ClaimAsync("orders\nk", "m-1", CancellationToken.None));

        Assert.Equal(DependencyNames.DataFiles, error.Dependency);
    }

    [Fact]
    public async Task DynamoDbMetadataStore_WhenNothingListens_ThrowsThatDynamoDbIsUnavailable()
    {
        using var client = ClientWithNothingListening();
        var store = new GuardedMetadataStore(new DynamoDbMetadataStore(client, "notify-metadata", TimeProvider.System), DependencyGuard.DynamoDb);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => store.GetTopicAsync("orders", CancellationToken.None));

        Assert.Equal(DependencyNames.DynamoDb, error.Dependency);
    }

    [Fact]
    public async Task DynamoDbDedupStore_WhenNothingListens_ThrowsThatTheDedupTableIsUnavailable()
    {
        using var client = ClientWithNothingListening();
        var store = new GuardedDedupStore(
            new DynamoDbDedupStore(client, "notify-dedup", Options.Create(new DedupOptions()), TimeProvider.System),
            DependencyGuard.DedupTable);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => store.ClaimAsync("orders\nk", "m-1", CancellationToken.None));

        Assert.Equal(DependencyNames.DedupTable, error.Dependency);
    }

    [Fact]
    public void RedisDedupStoresUnavailability_IsTheSameException() =>
        Assert.Equal(DependencyNames.DedupRing, Assert.IsAssignableFrom<DependencyUnavailableException>(new DedupUnavailableException("no node answered")).Dependency);

    private static Amazon.DynamoDBv2.AmazonDynamoDBClient ClientWithNothingListening() => DynamoDbClientFactory.Create(
        new AwsOptions { DynamoDbServiceUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/") },
        new BasicAWSCredentials("local", "local"));
}
