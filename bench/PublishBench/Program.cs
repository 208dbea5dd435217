// End-to-end publish: the real Frontend process against a bare Kestrel endpoint measured in the same run.
// 1. Throughput at full load with wrk (closed loop), one fresh process per configuration.
// 2. Latency in the open model (requests on a fixed schedule, counted from the scheduled time) at fixed
//    fractions of the Notify default's maximum, for Notify and for the bare endpoint at the same rates.
// 3. After every Notify run the process is killed and every 202 must be in queue.db or processed.
// Usage: dotnet run -c Release --project bench/PublishBench -- [--report PATH] [--warmup 3] [--duration 10]
//        [--threads 2] [--connections 64] [--subscribers 2] [--rates 25,50,75] [--open-warmup 2]
//        [--open-duration 10] [--open-connections 64] [--frontend PATH/Notify.Frontend.dll] [--dir PATH]
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Notify.Bench.FanOut;
using Notify.Bench.Publish;

if (args.Length > 0 && args[0] == BaselineServer.Argument)
{
    await BaselineServer.RunAsync();
    return 0;
}

var reportPath = StringArgument("--report");
var warmup = TimeSpan.FromSeconds(DoubleArgument("--warmup", 3));
var window = TimeSpan.FromSeconds(DoubleArgument("--duration", 10));
var threads = (int)DoubleArgument("--threads", 2);
var connections = (int)DoubleArgument("--connections", 64);
var subscribers = (int)DoubleArgument("--subscribers", 2);
var percents = (StringArgument("--rates") ?? "25,50,75").Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
var openWarmup = TimeSpan.FromSeconds(DoubleArgument("--open-warmup", 2));
var openWindow = TimeSpan.FromSeconds(DoubleArgument("--open-duration", 10));
var openConnections = (int)DoubleArgument("--open-connections", 64);
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

// Ctrl+C or a kill: stop instead of dying, so the finally below kills the servers and removes the files.
using var cancel = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

const string Topic = "bench";
var adminKey = "nfy_bench_" + Guid.NewGuid().ToString("N");
// A 1,024-byte publish body: {"message":"xxx…"}.
var body = Encoding.UTF8.GetBytes("{\"message\":\"" + new string('x', 1024 - 14) + "\"}");

var throughput = new List<(string Name, WrkResult Result, ServerCost Cost)>();
var open = new List<(string Name, double Percent, OpenModelResult Result)>();
var checks = new List<string>();
var failedCheck = false;
try
{
    Add("bare Kestrel POST (baseline)", await ThroughputOfBareAsync());
    Add("Notify default (Sender in-process), topic without subscribers", await ThroughputOfNotifyAsync(Variant.Default));
    Add($"Notify default, topic with {subscribers} webhook subscribers", await ThroughputOfNotifyAsync(Variant.Subscribers));
    Add("Notify, Notify:Sender:InProcess=false", await ThroughputOfNotifyAsync(Variant.SenderOutOfProcess));
    Add("Notify default, unique Idempotency-Key per request", await ThroughputOfNotifyAsync(Variant.IdempotencyKey));
    Add("Notify default, log levels of appsettings.json (an audit line per publish)", await ThroughputOfNotifyAsync(Variant.ShippedLogLevels));

    var notifyMax = throughput[1].Result.SuccessesPerSecond;
    await OpenModelAsync("bare Kestrel POST (baseline)", notifyMax);
    await OpenModelAsync("Notify default, topic without subscribers", notifyMax);
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

var report = PublishReport.Write(
    new PublishReport.Settings(body.Length, threads, connections, warmup, window, openConnections, openWarmup, openWindow, subscribers),
    throughput,
    open,
    checks);
Console.WriteLine();
Console.WriteLine(report);
if (reportPath is not null)
{
    await File.WriteAllTextAsync(reportPath, report);
}

return failedCheck ? 1 : 0;

async Task<(WrkResult, ServerCost)> ThroughputOfBareAsync()
{
    Console.WriteLine("wrk: bare Kestrel POST...");
    await using var server = ServerProcess.Start("bare Kestrel", benchDll, [BaselineServer.Argument], new Dictionary<string, string>());
    await server.WaitUntilHealthyAsync(cancel.Token);
    var target = new Uri(server.BaseAddress, BaselineServer.Path);
    await RunWrkAsync(target, keyPrefix: null, warmup);
    return await ServerCost.MeasureAsync(server, metrics: null, () => RunWrkAsync(target, keyPrefix: null, window), cancel.Token);
}

async Task<(WrkResult, ServerCost)> ThroughputOfNotifyAsync(Variant variant)
{
    Console.WriteLine($"wrk: Notify, {variant}...");
    // A fresh data directory (and process) per configuration, so every run starts from empty files.
    var data = Path.Combine(root, variant.ToString());
    Directory.CreateDirectory(data);
    var environment = NotifyEnvironment(data);
    await using var receiver = variant == Variant.Subscribers ? await WebhookReceiver.StartAsync() : null;
    if (receiver is not null)
    {
        environment["Notify__Webhooks__AllowPrivateNetworks"] = "true";
        environment["Notify__Webhooks__RequireHttps"] = "false";
        await SubscriberSetup.CreateAsync(data, Topic, subscribers, receiver.Url, cancel.Token);
    }

    if (variant == Variant.SenderOutOfProcess)
    {
        environment["Notify__Sender__InProcess"] = "false";
    }

    if (variant == Variant.ShippedLogLevels)
    {
        // As the Frontend ships: Information for Notify's categories, so every publish writes its audit
        // event to the console (read by this program, as a log shipper would).
        environment["Logging__LogLevel__Default"] = "Information";
    }

    WrkResult warm, measured;
    ServerCost cost;
    await using (var server = ServerProcess.Start("Notify", frontendDll, [], environment))
    {
        await server.WaitUntilHealthyAsync(cancel.Token);
        if (receiver is null)
        {
            await CreateTopicAsync(server.BaseAddress);
        }

        var target = new Uri(server.BaseAddress, $"/v1/topics/{Topic}/messages");
        var keyed = variant == Variant.IdempotencyKey;
        warm = await RunWrkAsync(target, keyed ? "warm" : null, warmup);
        (measured, cost) = await ServerCost.MeasureAsync(
            server, new Uri(server.BaseAddress, "/metrics"), () => RunWrkAsync(target, keyed ? "run" : null, window), cancel.Token);

        // Killed, not stopped (the dispose below only finds it dead): what was answered 202 must already be on disk.
        await server.KillAsync();
    }

    var accepted = warm.Successes + measured.Successes;
    // wrk drops the requests still in flight when its time is up: the server may have queued them unanswered.
    var unknown = (2L * connections) + warm.Timeouts + measured.Timeouts;
    var queue = Path.Combine(data, "queue.db");
    var name = variant switch
    {
        Variant.Subscribers => $"Notify default, {subscribers} subscribers",
        Variant.SenderOutOfProcess => "Notify, Sender out of process",
        Variant.IdempotencyKey => "Notify default, Idempotency-Key",
        Variant.ShippedLogLevels => "Notify default, shipped log levels, no subscribers",
        _ => "Notify default, no subscribers",
    };
    switch (variant)
    {
        case Variant.SenderOutOfProcess:
            Check(name, "messages in queue.db", await CountAsync(queue, "SELECT COUNT(*) FROM messages"), accepted, unknown);
            break;
        case Variant.Subscribers:
            var kept = await MessageIdsAsync(queue);
            var delivered = receiver!.MessageIds;
            kept.UnionWith(delivered);
            Check(name, $"messages in queue.db or delivered ({delivered.Count:N0} delivered, {receiver.Requests:N0} webhook requests)", kept.Count, accepted, unknown);
            break;
        case Variant.IdempotencyKey:
            // A claim is marked accepted after its message is queued and before the 202; processing leaves it.
            Check(name, "accepted claims in dedup.db", await CountAsync(Path.Combine(data, "dedup.db"), "SELECT COUNT(*) FROM dedup WHERE accepted = 1"), accepted, unknown);
            break;
        default:
            NotCheckable(name, await CountAsync(queue, "SELECT COUNT(*) FROM messages"), accepted);
            break;
    }

    return (measured, cost);
}

async Task OpenModelAsync(string name, double notifyMax)
{
    var bare = name.StartsWith("bare", StringComparison.Ordinal);
    var data = Path.Combine(root, "open-model");
    Directory.CreateDirectory(data);
    long accepted = 0;
    await using (var server = bare
        ? ServerProcess.Start(name, benchDll, [BaselineServer.Argument], new Dictionary<string, string>())
        : ServerProcess.Start(name, frontendDll, [], NotifyEnvironment(data)))
    {
        await server.WaitUntilHealthyAsync(cancel.Token);
        if (!bare)
        {
            await CreateTopicAsync(server.BaseAddress);
        }

        var target = bare ? new Uri(server.BaseAddress, BaselineServer.Path) : new Uri(server.BaseAddress, $"/v1/topics/{Topic}/messages");
        foreach (var percent in percents)
        {
            var rate = notifyMax * percent / 100;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open model: {name}, {rate:N0}/s..."));
            var result = await OpenModelGenerator.RunAsync(rate, openConnections, openWarmup, openWindow, _ => NewPublish(target), cancel.Token);
            accepted += result.Accepted;
            open.Add((name, percent, result));
        }

        await server.KillAsync();
    }

    if (!bare)
    {
        NotCheckable("Notify, open model", await CountAsync(Path.Combine(data, "queue.db"), "SELECT COUNT(*) FROM messages"), accepted);
    }
}

void Add(string name, (WrkResult Result, ServerCost Cost) measured) => throughput.Add((name, measured.Result, measured.Cost));

Dictionary<string, string> NotifyEnvironment(string data) => new()
{
    ["Notify__DataDirectory"] = data,
    ["Notify__Auth__AdminKey"] = adminKey,
};

async Task<WrkResult> RunWrkAsync(Uri target, string? keyPrefix, TimeSpan duration) =>
    await Wrk.RunAsync(target, adminKey, body, keyPrefix, threads, connections, duration, root, cancel.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

// Every 202 must be found; a few more may be, for the requests wrk abandoned at its end (they have no answer).
void Check(string name, string what, long found, long accepted, long unknown)
{
    var ok = found >= accepted && found <= accepted + unknown;
    failedCheck |= !ok;
    checks.Add(string.Create(
        CultureInfo.InvariantCulture,
        $"{(ok ? "ok" : "FAILED")}: {name}: {found:N0} {what} after the kill, for {accepted:N0} answers 2xx (warm-up included; up to {unknown:N0} more allowed for the requests wrk abandoned at its end)"));
}

void NotCheckable(string name, long left, long accepted)
{
    checks.Add(string.Create(
        CultureInfo.InvariantCulture,
        $"not checked: {name}: {accepted:N0} answers 2xx, {left:N0} messages left in queue.db after the kill; the Sender deletes a message without subscribers and records nothing of it, so the processed ones cannot be counted"));
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
HttpRequestMessage NewPublish(Uri target)
{
    var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    return request;
}

async Task<long> CountAsync(string path, string sql)
{
    await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
    await connection.OpenAsync(cancel.Token);
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    return (long)(await command.ExecuteScalarAsync(cancel.Token))!;
}

async Task<HashSet<string>> MessageIdsAsync(string path)
{
    await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
    await connection.OpenAsync(cancel.Token);
    await using var command = connection.CreateCommand();
    command.CommandText = "SELECT id FROM messages";
    var ids = new HashSet<string>();
    await using var reader = await command.ExecuteReaderAsync(cancel.Token);
    while (await reader.ReadAsync(cancel.Token))
    {
        ids.Add(reader.GetString(0));
    }

    return ids;
}

string RepositoryRoot() => Notify.Bench.CommandLine.RepositoryRoot();

double DoubleArgument(string name, double fallback) => Notify.Bench.CommandLine.Double(args, name, fallback);

string? StringArgument(string name) => Notify.Bench.CommandLine.String(args, name);

/// <summary>The Notify configurations measured with wrk.</summary>
internal enum Variant
{
    Default,
    Subscribers,
    SenderOutOfProcess,
    IdempotencyKey,
    ShippedLogLevels,
}
