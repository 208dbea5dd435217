// End-to-end publish throughput: the real Frontend process, publishing into its embedded queue, against a
// bare Kestrel endpoint, both driven by the same closed-loop HTTP load generator on this machine.
// Usage: dotnet run -c Release --project bench/PublishBench -- [--concurrency 64,16] [--warmup 3] [--duration 10]
//        [--frontend PATH/Notify.Frontend.dll] [--dir PATH]
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Notify.Bench.Publish;
using Notify.Shared.Storage;

if (args.Length > 0 && args[0] == BaselineServer.Argument)
{
    await BaselineServer.RunAsync();
    return 0;
}

var concurrencies = (StringArgument("--concurrency") ?? "64,16").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var warmup = TimeSpan.FromSeconds(DoubleArgument("--warmup", 3));
var window = TimeSpan.FromSeconds(DoubleArgument("--duration", 10));
var frontendDll = Path.GetFullPath(StringArgument("--frontend")
    ?? Path.Combine(RepositoryRoot(), "Frontend", "bin", "Release", "net10.0", "Notify.Frontend.dll"));
if (!File.Exists(frontendDll))
{
    Console.Error.WriteLine($"{frontendDll} does not exist; build it first: dotnet build -c Release Notify.sln");
    return 2;
}

var benchDll = Path.Combine(AppContext.BaseDirectory, "PublishBench.dll");
var root = Path.Combine(StringArgument("--dir") ?? Path.GetTempPath(), "notify-publish-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);

// Ctrl+C or a kill: stop the loops instead of dying, so the finally below kills the servers and removes the files.
using var cancel = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

const string Topic = "bench";
var adminKey = "nfy_bench_" + Guid.NewGuid().ToString("N");
// A 1,024-byte publish body: {"message":"xxx…"}.
var body = Encoding.UTF8.GetBytes("{\"message\":\"" + new string('x', 1024 - 14) + "\"}");

var results = new List<Measurement>();
var checks = new List<string>();
var mismatch = false;
try
{
    foreach (var concurrency in concurrencies)
    {
        results.Add(await RunBaselineAsync(concurrency));
        results.Add(await RunNotifyAsync(concurrency, dedup: false));
        results.Add(await RunNotifyAsync(concurrency, dedup: true));
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped before the end; servers killed, files removed.");
    return 130;
}
finally
{
    ServerProcess.KillAll();
    SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}

Console.WriteLine();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{body.Length}-byte publishes over HTTP/1.1 on loopback, {Environment.ProcessorCount} cores shared by server and load generator; {warmup.TotalSeconds:0.#} s warm-up, then {window.TotalSeconds:0.#} s measured"));
Console.WriteLine();
Console.WriteLine("| configuration | concurrency | requests/s (2xx) | p50 latency (ms) | p99 latency (ms) | errors | server CPU (cores) | load generator CPU (cores) |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var r in results)
{
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {r.Name} | {r.Concurrency} | {r.PerSecond:N0} | {r.Percentile(0.50):F2} | {r.Percentile(0.99):F2} | {r.WindowErrors} | {r.ServerCores:F2} | {r.GeneratorCores:F2} |"));
}

Console.WriteLine();
foreach (var group in results.GroupBy(r => r.Concurrency))
{
    var (baseline, plain, dedup) = (group.ElementAt(0), group.ElementAt(1), group.ElementAt(2));
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"concurrency {group.Key}: Notify / baseline {plain.PerSecond / baseline.PerSecond:P0}; with dedup / baseline {dedup.PerSecond / baseline.PerSecond:P0}; with dedup / without {dedup.PerSecond / plain.PerSecond:P0}"));
}

Console.WriteLine();
foreach (var check in checks)
{
    Console.WriteLine(check);
}

foreach (var failure in results.Where(r => r.FirstFailure is not null))
{
    Console.WriteLine($"{failure.Name}, concurrency {failure.Concurrency}: {failure.Failed} failed requests in the whole run, the first: {failure.FirstFailure}");
}

return mismatch ? 1 : 0;

async Task<Measurement> RunBaselineAsync(int concurrency)
{
    const string name = "bare Kestrel POST (baseline)";
    Console.WriteLine($"{name}, concurrency {concurrency}...");
    await using var server = ServerProcess.Start(name, benchDll, [BaselineServer.Argument], new Dictionary<string, string>());
    await server.WaitUntilHealthyAsync(cancel.Token);
    var target = new Uri(server.BaseAddress, BaselineServer.Path);
    return await LoadGenerator.RunAsync(
        name, concurrency, warmup, window, (_, _) => NewPublish(target, idempotencyKey: null), () => server.CpuTime, cancel.Token);
}

async Task<Measurement> RunNotifyAsync(int concurrency, bool dedup)
{
    var name = dedup ? "Notify publish, unique Idempotency-Key (dedup)" : "Notify publish";
    Console.WriteLine($"{name}, concurrency {concurrency}...");
    // A fresh data directory (and process) per configuration, so every run starts from empty files.
    var data = Path.Combine(root, (dedup ? "dedup-" : "plain-") + concurrency.ToString(CultureInfo.InvariantCulture));
    Directory.CreateDirectory(data);
    var environment = new Dictionary<string, string>
    {
        ["Notify__DataDirectory"] = data,
        ["Notify__Auth__AdminKey"] = adminKey,
        // The publish path only: no Sender workers in the process (and no subscribers anyway).
        ["Notify__Sender__InProcess"] = "false",
    };

    Measurement result;
    await using (var server = ServerProcess.Start(name, frontendDll, [], environment))
    {
        await server.WaitUntilHealthyAsync(cancel.Token);
        await CreateTopicAsync(server.BaseAddress);
        var target = new Uri(server.BaseAddress, $"/v1/topics/{Topic}/messages");
        result = await LoadGenerator.RunAsync(
            name,
            concurrency,
            warmup,
            window,
            (worker, sequence) => NewPublish(target, dedup ? string.Create(CultureInfo.InvariantCulture, $"bench-{worker}-{sequence}") : null),
            () => server.CpuTime,
            cancel.Token);
    }

    // The process is killed, not stopped: every message answered 202 must already be in queue.db.
    Check(name, concurrency, "queue.db messages", await CountAsync(Path.Combine(data, "queue.db"), dedupTable: false), result.Accepted);
    if (dedup)
    {
        Check(name, concurrency, "accepted dedup.db claims", await CountAsync(Path.Combine(data, "dedup.db"), dedupTable: true), result.Accepted);
    }

    return result;
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

void Check(string name, int concurrency, string what, long stored, long accepted)
{
    var ok = stored == accepted;
    mismatch |= !ok;
    checks.Add(string.Create(
        CultureInfo.InvariantCulture,
        $"{(ok ? "ok" : "MISMATCH")}: {name}, concurrency {concurrency}: {stored:N0} {what} after the kill, {accepted:N0} answers 202 in the whole run (warm-up included)"));
}

async Task CreateTopicAsync(Uri server)
{
    using var client = new HttpClient();
    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/v1/topics"))
    {
        Content = new StringContent($"{{\"name\":\"{Topic}\"}}", Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    using var response = await client.SendAsync(request, cancel.Token);
    if (response.StatusCode != HttpStatusCode.Created)
    {
        throw new InvalidOperationException($"Creating the topic answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancel.Token)}");
    }
}

// The same request to both servers: the baseline ignores the key.
HttpRequestMessage NewPublish(Uri target, string? idempotencyKey)
{
    var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    if (idempotencyKey is not null)
    {
        request.Headers.Add("Idempotency-Key", idempotencyKey);
    }

    return request;
}

async Task<long> CountAsync(string path, bool dedupTable)
{
    var database = new SqliteDatabase(path, SqliteDatabase.Durability.Normal);
    await using var connection = await database.OpenAsync(cancel.Token);
    await using var command = connection.CreateCommand();
    // A claim is marked accepted after its message is queued and before the 202 is answered.
    command.CommandText = dedupTable ? "SELECT COUNT(*) FROM dedup WHERE accepted = 1" : "SELECT COUNT(*) FROM messages";
    return (long)(await command.ExecuteScalarAsync(cancel.Token))!;
}

string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Notify.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Notify.sln not found above " + AppContext.BaseDirectory + "; pass --frontend PATH.");
}

double DoubleArgument(string name, double fallback) =>
    StringArgument(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? StringArgument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
