// Control-plane throughput: topic creations and webhook subscribes per second against the real Frontend
// (the embedded default: SQLite stores, the Sender in-process), by 1 client and by 16 concurrent clients.
// More clients must never mean fewer writes per second in all.
// Usage: dotnet run -c Release --project bench/ControlPlaneBench -- [--concurrency 1,16] [--warmup 3] [--duration 10]
//        [--report PATH] [--frontend PATH/Notify.Frontend.dll] [--dir PATH]
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Notify.Bench.ControlPlane;
using Notify.Bench.Publish;
using Notify.Shared.Storage;

var concurrencies = (StringArgument("--concurrency") ?? "1,16").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var warmup = TimeSpan.FromSeconds(DoubleArgument("--warmup", 3));
var window = TimeSpan.FromSeconds(DoubleArgument("--duration", 10));
var reportPath = StringArgument("--report");
var frontendDll = Path.GetFullPath(StringArgument("--frontend")
    ?? Path.Combine(RepositoryRoot(), "Frontend", "bin", "Release", "net10.0", "Notify.Frontend.dll"));
if (!File.Exists(frontendDll))
{
    Console.Error.WriteLine($"{frontendDll} does not exist; build it first: dotnet build -c Release Notify.sln");
    return 2;
}

var root = Path.Combine(StringArgument("--dir") ?? Path.GetTempPath(), "notify-control-plane-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);

// Ctrl+C or a kill: stop the loops instead of dying, so the finally below kills the servers and removes the files.
using var cancel = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

const string Topic = "bench";
const string TopicCreations = "topic creations (POST /v1/topics)";
const string Subscribes = "webhook subscribes (POST /v1/topics/{name}/subscriptions)";
var adminKey = "nfy_bench_" + Guid.NewGuid().ToString("N");

var results = new List<Measurement>();
var checks = new List<string>();
var mismatch = false;
try
{
    await using var receiver = await ConfirmationReceiver.StartAsync();
    foreach (var operation in new[] { TopicCreations, Subscribes })
    {
        foreach (var concurrency in concurrencies)
        {
            results.Add(await RunAsync(operation, concurrency, receiver.BaseAddress));
        }
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

var report = Report();
Console.WriteLine();
Console.Write(report);
if (reportPath is not null)
{
    await File.WriteAllTextAsync(reportPath, report);
}

return mismatch ? 1 : 0;

async Task<Measurement> RunAsync(string operation, int concurrency, Uri receiver)
{
    Console.WriteLine($"{operation}, {concurrency} concurrent clients...");
    // A fresh data directory (and process) per configuration, so every run starts from empty files.
    var data = Path.Combine(root, Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(data);
    var environment = new Dictionary<string, string>
    {
        ["Notify__DataDirectory"] = data,
        ["Notify__Auth__AdminKey"] = adminKey,
        // The receiver is plain http on loopback, which Production refuses otherwise.
        ["Notify__Webhooks__AllowPrivateNetworks"] = "true",
        ["Notify__Webhooks__RequireHttps"] = "false",
    };

    Measurement result;
    await using (var server = ServerProcess.Start("Notify", frontendDll, [], environment))
    {
        await server.WaitUntilHealthyAsync(cancel.Token);
        await SendAsync(server.BaseAddress, "/v1/topics", $"{{\"name\":\"{Topic}\"}}");
        // Every request writes a new row: a unique topic name, or a unique endpoint on the one topic.
        Func<int, long, HttpRequestMessage> next = operation == TopicCreations
            ? (worker, sequence) => NewPost(server.BaseAddress, "/v1/topics", $"{{\"name\":\"t-{worker}-{sequence}\"}}")
            : (worker, sequence) => NewPost(
                server.BaseAddress,
                $"/v1/topics/{Topic}/subscriptions",
                $"{{\"protocol\":\"webhook\",\"endpoint\":\"{receiver}hooks/{worker}-{sequence}\"}}");
        result = await LoadGenerator.RunAsync(operation, concurrency, warmup, window, next, () => server.CpuTime, cancel.Token);
    }

    // The process is killed, not stopped: every row answered 201 must already be in metadata.db.
    var stored = operation == TopicCreations
        ? await CountAsync(data, "SELECT COUNT(*) - 1 FROM topics")
        : await CountAsync(data, "SELECT COUNT(*) FROM subscriptions");
    var ok = stored == result.Accepted;
    mismatch |= !ok;
    checks.Add(string.Create(
        CultureInfo.InvariantCulture,
        $"{(ok ? "ok" : "MISMATCH")}: {operation}, {concurrency} clients: {stored:N0} rows in metadata.db after the kill, {result.Accepted:N0} answers 201 in the whole run (warm-up included)"));
    return result;
}

string Report()
{
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"Closed loop over HTTP/1.1 on loopback, each client one request at a time; {Environment.ProcessorCount} cores shared by the Frontend (embedded default, Sender in-process) and the clients; {warmup.TotalSeconds:0.#} s warm-up, then {window.TotalSeconds:0.#} s measured; a fresh data directory per row.");
    text.AppendLine();
    text.AppendLine("| operation | clients | writes/s (201) | p50 latency (ms) | p99 latency (ms) | errors | server CPU (cores) |");
    text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var r in results)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Concurrency} | {r.PerSecond:N0} | {r.Percentile(0.50):F2} | {r.Percentile(0.99):F2} | {r.WindowErrors} | {r.ServerCores:F2} |");
    }

    text.AppendLine();
    foreach (var group in results.GroupBy(r => r.Name))
    {
        var one = group.MinBy(r => r.Concurrency)!;
        var most = group.MaxBy(r => r.Concurrency)!;
        var met = most.PerSecond >= one.PerSecond;
        text.AppendLine(CultureInfo.InvariantCulture, $"- {group.Key}: {most.Concurrency} clients >= {one.Concurrency} client: **{(met ? "met" : "not met")}** ({most.PerSecond:N0}/s against {one.PerSecond:N0}/s, {most.PerSecond / one.PerSecond:0.00}×)");
    }

    text.AppendLine();
    foreach (var check in checks)
    {
        text.AppendLine($"- {check}");
    }

    foreach (var failure in results.Where(r => r.FirstFailure is not null))
    {
        text.AppendLine($"- {failure.Name}, {failure.Concurrency} clients: {failure.Failed} failed requests in the whole run, the first: {failure.FirstFailure}");
    }

    return text.ToString();
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

HttpRequestMessage NewPost(Uri server, string path, string json)
{
    var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    return request;
}

async Task SendAsync(Uri server, string path, string json)
{
    using var client = new HttpClient();
    using var request = NewPost(server, path, json);
    using var response = await client.SendAsync(request, cancel.Token);
    if (response.StatusCode != HttpStatusCode.Created)
    {
        throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancel.Token)}");
    }
}

async Task<long> CountAsync(string data, string sql)
{
    var database = new SqliteDatabase(Path.Combine(data, EmbeddedStoreFiles.Metadata), SqliteDatabase.Durability.Normal);
    await using var connection = await database.OpenAsync(cancel.Token);
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    return (long)(await command.ExecuteScalarAsync(cancel.Token))!;
}

string RepositoryRoot() => Notify.Bench.CommandLine.RepositoryRoot();

double DoubleArgument(string name, double fallback) => Notify.Bench.CommandLine.Double(args, name, fallback);

string? StringArgument(string name) => Notify.Bench.CommandLine.String(args, name);
