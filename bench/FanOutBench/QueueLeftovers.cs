using Notify.Shared.Storage;

namespace Notify.Bench.FanOut;

/// <summary>
/// The embedded queue's messages in the data directory, which every configuration's Frontend shares. Each
/// Frontend is killed (SIGKILL) after its run: a page whose deliveries had all arrived but whose queue
/// message was not deleted yet would come back after its visibility timeout and be delivered by the next
/// configuration's Frontend, counted as that run's repeats (one whole page of the earlier page size).
/// </summary>
internal static class QueueLeftovers
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until the queue holds no message, at most <paramref name="deadline"/>; returns how many are left.</summary>
    public static async Task<long> WaitUntilEmptyAsync(string dataDirectory, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + deadline;
        while (true)
        {
            var left = await CountAsync(dataDirectory, cancellationToken);
            if (left == 0 || DateTimeOffset.UtcNow >= until)
            {
                return left;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Deletes what an earlier, killed Frontend left on the queue (none runs now); returns how many there were.</summary>
    public static async Task<long> ClearAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(QueuePath(dataDirectory)))
        {
            return 0;
        }

        await using var connection = await Database(dataDirectory).OpenAsync(cancellationToken);
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM messages";
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        await using var connection = await Database(dataDirectory).OpenAsync(cancellationToken);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM messages";
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private static SqliteDatabase Database(string dataDirectory) =>
        new(QueuePath(dataDirectory), SqliteDatabase.Durability.Normal);

    private static string QueuePath(string dataDirectory) => Path.Combine(dataDirectory, EmbeddedStoreFiles.Queue);
}
