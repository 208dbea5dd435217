using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Notify.Frontend.Dedup;
using Notify.Tests.Support;

namespace Notify.Tests.Frontend;

public sealed class SqliteDedupStoreTests : DedupStoreContractTests, IDisposable
{
    private const int Callers = 64;

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly List<SqliteDedupStore> _stores = [];

    protected override IDedupStore NewStore() => OpenStore();

    protected override Task PassTimeAsync(TimeSpan by)
    {
        _clock.Advance(by);
        return Task.CompletedTask;
    }

    /// <summary>A file from before claims had two phases: its claims were accepted ones and still answer repeats.</summary>
    [Fact]
    public async Task FileOfAnEarlierVersion_GetsTheAcceptedColumn_AndItsClaimsReadAsAccepted()
    {
        var expires = (_clock.GetUtcNow() + Window).ToUnixTimeMilliseconds();
        await using (var old = new SqliteConnection($"Data Source={_directory.File("dedup.db")};Pooling=False"))
        {
            await old.OpenAsync();
            await using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE dedup (key TEXT PRIMARY KEY, message_id TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO dedup VALUES ($key, 'm0', $expires);
                """;
            command.Parameters.AddWithValue("$key", "orders\nk");
            command.Parameters.AddWithValue("$expires", expires);
            await command.ExecuteNonQueryAsync();
        }

        var store = NewStore();

        Assert.Equal(DedupClaim.AcceptedBy("m0"), await store.ClaimAsync("orders\nk", "m1", default));
        Assert.Equal(DedupClaim.Pending("m2"), await store.ClaimAsync("billing\nk", "m2", default));
    }

    /// <summary>
    /// Concurrent publishes share commits: claims that arrive while one commit is under way are written
    /// together in the next. The file's write lock is held from outside meanwhile, so every claim is
    /// waiting before the first commit can start, whatever the machine's speed.
    /// </summary>
    [Fact]
    public async Task ConcurrentClaims_OfDistinctKeys_AllWin_AndShareTheirCommits()
    {
        var store = OpenStore();
        await store.ClaimAsync("orders\nwarm-up", "m-warm-up", default);
        var commitsBefore = CommitsInWriteAheadLog();

        Task<DedupClaim>[] claims;
        await using (await HoldWriteLockAsync())
        {
            claims = Enumerable.Range(0, Callers).Select(i => store.ClaimAsync($"orders\nk{i}", $"m{i}", default)).ToArray();
        }

        var holders = await Task.WhenAll(claims);

        Assert.Equal(Enumerable.Range(0, Callers).Select(i => DedupClaim.Pending($"m{i}")), holders);
        // At most the group the writer had taken when the lock was held, and one with all the rest; one
        // commit per claim before.
        Assert.InRange(CommitsInWriteAheadLog() - commitsBefore, 1, 2);
        Assert.Equal(Callers + 1, await CountClaimsAsync());
    }

    [Fact]
    public async Task ConcurrentClaims_OfOneKey_InOneGroup_ExactlyOneWins_AndTheOthersAreAnsweredItsId()
    {
        var store = OpenStore();
        await store.ClaimAsync("orders\nwarm-up", "m-warm-up", default);

        Task<DedupClaim>[] claims;
        await using (await HoldWriteLockAsync())
        {
            claims = Enumerable.Range(0, Callers).Select(i => store.ClaimAsync("orders\nk", $"m{i}", default)).ToArray();
        }

        var holders = await Task.WhenAll(claims);

        var winner = Assert.Single(holders.Distinct());
        Assert.Equal(DedupClaim.Pending("m0"), winner);
    }

    /// <summary>Writes that share a commit still take effect in the order they were made.</summary>
    [Fact]
    public async Task WritesInOneGroup_TakeEffectInTheOrderTheyWereMade()
    {
        var store = OpenStore();
        await store.ClaimAsync("orders\nwarm-up", "m-warm-up", default);

        Task<DedupClaim> repeatOfAccepted, retryOfReleased;
        await using (await HoldWriteLockAsync())
        {
            _ = store.ClaimAsync("orders\naccepted", "m1", default);
            _ = store.AcceptAsync("orders\naccepted", "m1", default);
            repeatOfAccepted = store.ClaimAsync("orders\naccepted", "m2", default);
            _ = store.ClaimAsync("orders\nreleased", "m3", default);
            _ = store.ReleaseAsync("orders\nreleased", "m3", default);
            retryOfReleased = store.ClaimAsync("orders\nreleased", "m4", default);
        }

        Assert.Equal(DedupClaim.AcceptedBy("m1"), await repeatOfAccepted);
        Assert.Equal(DedupClaim.Pending("m4"), await retryOfReleased);
    }

    /// <summary>A backlog of expired claims (a long stop, a burst long past) is cleared as new claims arrive.</summary>
    [Fact]
    public async Task ExpiredClaims_ArePurgedAsNewClaimsArrive_ASliceAtATime()
    {
        var store = OpenStore();
        const int Backlog = 600;
        for (var i = 0; i < Backlog; i++)
        {
            await store.ClaimAsync($"orders\nold{i}", $"m-old{i}", default);
        }

        await PassTimeAsync(Lease + TimeSpan.FromSeconds(1));

        await store.ClaimAsync("orders\nnew0", "m-new0", default);
        var afterOne = await CountClaimsAsync();
        for (var i = 1; i < 4; i++)
        {
            await store.ClaimAsync($"orders\nnew{i}", $"m-new{i}", default);
        }

        // Not all at once (a group stays short), and all within a few claims.
        Assert.InRange(afterOne, 2, Backlog);
        Assert.Equal(4, await CountClaimsAsync());
    }

    [Fact]
    public async Task Dispose_FinishesTheWritesAlreadyMade_ThenRefusesNewOnes()
    {
        var store = OpenStore();
        var claims = Enumerable.Range(0, Callers).Select(i => store.ClaimAsync($"orders\nk{i}", $"m{i}", default)).ToArray();

        await store.DisposeAsync();

        Assert.All(await Task.WhenAll(claims), holder => Assert.False(holder.Accepted));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ClaimAsync("orders\nlate", "m-late", default));
        Assert.Equal(Callers, await CountClaimsAsync());
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _directory.Dispose();
    }

    private SqliteDedupStore OpenStore()
    {
        var store = new SqliteDedupStore(_directory.File("dedup.db"), Options.Create(Settings), _clock);
        _stores.Add(store);
        return store;
    }

    /// <summary>Holds dedup.db's write lock from another connection until disposed.</summary>
    private async Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection($"Data Source={_directory.File("dedup.db")};Pooling=False");
        await connection.OpenAsync();
        var transaction = connection.BeginTransaction(deferred: false);
        return new LockHolder(connection, transaction);
    }

    private async Task<long> CountClaimsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_directory.File("dedup.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM dedup";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Commits in dedup.db's write-ahead log, read from the file (format: sqlite.org/fileformat.html#the_write_ahead_log):
    /// a 32-byte header with the page size, then frames of a 24-byte header and a page; a frame whose header
    /// gives the database size after it (bytes 4-7) ends a commit. The tests write far fewer pages than
    /// the 1,000 that start a checkpoint, so the log holds every commit since the file was created.
    /// </summary>
    private int CommitsInWriteAheadLog()
    {
        var log = File.ReadAllBytes(_directory.File("dedup.db") + "-wal");
        var pageSize = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(log.AsSpan(8, 4));
        var commits = 0;
        for (var frame = 32; frame + 24 + pageSize <= log.Length; frame += 24 + pageSize)
        {
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(log.AsSpan(frame + 4, 4)) != 0)
            {
                commits++;
            }
        }

        return commits;
    }

    private sealed class LockHolder(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
