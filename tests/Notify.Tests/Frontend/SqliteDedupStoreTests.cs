using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Notify.Frontend.Dedup;
using Notify.Tests.Support;

namespace Notify.Tests.Frontend;

public sealed class SqliteDedupStoreTests : DedupStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new();

    protected override IDedupStore NewStore() =>
        new SqliteDedupStore(_directory.File("dedup.db"), Options.Create(Settings), _clock);

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

    public void Dispose() => _directory.Dispose();
}
