// Durable sends per second of the embedded queue (group commit) against one fsync'd transaction per
// message. Usage: dotnet run -c Release --project bench/QueueBench -- [--report PATH] [--messages 5000] [--senders 64] [--dir PATH]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Notify.Bench.Queue;
using Notify.Shared.Queue;
using Notify.Shared.Storage;

var messages = IntArgument("--messages", 5_000);
var senders = IntArgument("--senders", 64);
var reportPath = StringArgument("--report", null);
var root = Path.Combine(StringArgument("--dir", null) ?? Path.GetTempPath(), "notify-queue-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);

// About the size of a published notification's envelope.
var body = "{\"kind\":\"notification\",\"notification\":{\"message\":\"" + new string('x', 900) + "\"}}";

try
{
    // Warm-up, so JIT and first-open costs stay out of the figures.
    await RunBaselineAsync(Path.Combine(root, "warmup-baseline"), 200);
    await RunQueueAsync(Path.Combine(root, "warmup-queue"), 200, senders);

    var results = new[]
    {
        await RunBaselineAsync(Path.Combine(root, "baseline"), messages),
        await RunQueueAsync(Path.Combine(root, "queue-1"), messages, 1),
        await RunQueueAsync(Path.Combine(root, "queue-n"), messages, senders),
    };

    // The same markdown on the console and in the report (bench.sh splices it into docs/benchmarks.md).
    var report = new StringBuilder();
    void Line(FormattableString line) => report.AppendLine(line.ToString(CultureInfo.InvariantCulture));
    Line($"{messages:N0} durable sends of {body.Length:N0} bytes each, {Environment.ProcessorCount} cores, files in the system temp folder unless --dir says otherwise.");
    report.AppendLine();
    report.AppendLine("| configuration | concurrent senders | sends/s | p50 latency (ms) | p99 latency (ms) |");
    report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var r in results)
    {
        Line($"| {r.Name} | {r.Senders} | {r.PerSecond:N0} | {r.Percentile(0.50):F2} | {r.Percentile(0.99):F2} |");
    }

    report.AppendLine();
    Line($"Group commit with {senders} senders / one transaction per message: {results[2].PerSecond / results[0].PerSecond:F1}x.");
    Console.WriteLine(report);
    if (reportPath is not null)
    {
        await File.WriteAllTextAsync(reportPath, report.ToString());
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

// The straightforward way: every send is its own fsync'd transaction, one after the other.
async Task<Measurement> RunBaselineAsync(string directory, int count)
{
    Directory.CreateDirectory(directory);
    var database = new SqliteDatabase(Path.Combine(directory, "queue.db"), SqliteDatabase.Durability.Full);

    // The embedded queue's table and index, so both write the same file layout.
    await database.ExecuteAsync("""
        CREATE TABLE IF NOT EXISTS messages (
            sequence      INTEGER PRIMARY KEY AUTOINCREMENT,
            id            TEXT    NOT NULL,
            body          TEXT    NOT NULL,
            sent_at       INTEGER NOT NULL,
            visible_at    INTEGER NOT NULL,
            receive_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS messages_by_visible_at ON messages (visible_at);
        """);
    await using var connection = await database.OpenAsync();
    var latencies = new double[count];
    var total = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO messages (id, body, sent_at, visible_at, receive_count)
            VALUES ($id, $body, $now, $now, 0)
            """;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        insert.Parameters.AddWithValue("$id", "m-" + i.ToString(CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$body", body);
        insert.Parameters.AddWithValue("$now", now);
        await insert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    total.Stop();
    return new Measurement("one fsync'd transaction per message (baseline)", 1, count, total.Elapsed, latencies);
}

// The embedded queue as the Frontend gets it: through AddNotifyQueue, each publish one SendBatchAsync.
async Task<Measurement> RunQueueAsync(string directory, int count, int concurrency)
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>("Notify:DataDirectory", directory)]);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.AddNotifyQueue();
    using var host = builder.Build();
    var queue = host.Services.GetRequiredService<IMessageQueue>();
    await queue.GetDepthAsync(CancellationToken.None);

    var latencies = new double[count];
    var next = -1;
    var total = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var started = Stopwatch.GetTimestamp();
            await queue.SendBatchAsync([new OutgoingMessage("m-" + i.ToString(CultureInfo.InvariantCulture), body)], CancellationToken.None);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    })));
    total.Stop();

    var depth = await queue.GetDepthAsync(CancellationToken.None);
    if (depth.Waiting != count)
    {
        throw new InvalidOperationException($"Expected {count} stored messages, found {depth.Waiting}.");
    }

    var name = concurrency == 1 ? "SqliteMessageQueue, one sender at a time" : "SqliteMessageQueue, group commit";
    return new Measurement(name, concurrency, count, total.Elapsed, latencies);
}

int IntArgument(string name, int fallback) =>
    StringArgument(name, null) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? StringArgument(string name, string? fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
