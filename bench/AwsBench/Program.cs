// Notify in Aws mode on local servers (dynalite for DynamoDB, moto for SQS, three Redis nodes): publish through
// two Frontends with two standalone Senders against a bare Kestrel endpoint, fan-out to webhook subscribers
// against a raw HttpClient loop, and the cost of a topic lookup per cache tier against the plain client call.
// Usage: dotnet run -c Release --project bench/AwsBench -- [--report PATH] [--concurrency 64] [--warmup 3]
//        [--duration 10] [--subscribers 50] [--messages 200] [--lookups 2000]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Notify.Bench.Aws;
using Notify.Bench.FanOut;
using Notify.Bench.Publish;
using Notify.Metadata.Model;
using Notify.Shared.Ids;

if (args.Length > 0 && args[0] == BaselineServer.Argument)
{
    await BaselineServer.RunAsync();
    return 0;
}

var concurrency = IntArgument("--concurrency", 64);
var warmup = TimeSpan.FromSeconds(DoubleArgument("--warmup", 3));
var window = TimeSpan.FromSeconds(DoubleArgument("--duration", 10));
var subscribers = IntArgument("--subscribers", 50);
var messages = IntArgument("--messages", 200);
var lookups = IntArgument("--lookups", 2000);
var reportPath = StringArgument("--report");
var root = RepositoryRoot();
var frontendDll = Path.Combine(root, "Frontend", "bin", "Release", "net10.0", "Notify.Frontend.dll");
var senderDll = Path.Combine(root, "Sender", "bin", "Release", "net10.0", "Notify.Sender.dll");
foreach (var dll in new[] { frontendDll, senderDll })
{
    if (!File.Exists(dll))
    {
        Console.Error.WriteLine($"{dll} does not exist; build it first: dotnet build -c Release Notify.sln");
        return 2;
    }
}

var benchDll = Path.Combine(AppContext.BaseDirectory, "AwsBench.dll");

// Ctrl+C or a kill: stop instead of dying, so the finally below kills every server.
using var cancel = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

const string PublishTopic = "bench";
const string FanOutTopic = "crowd";
var adminKey = "nfy_bench_" + Guid.NewGuid().ToString("N");
// A 1,024-byte publish body: {"message":"xxx…"}, as PublishBench sends.
var body = Encoding.UTF8.GetBytes("{\"message\":\"" + new string('x', 1024 - 14) + "\"}");
var report = new StringBuilder();
var failed = false;

Measurement baseline;
Measurement publish;
IReadOnlyList<(string Name, double Cores)> publishCpu;
double drainSeconds;
long publishedTotal;
long deliveredAfterPublish;
FanOutFigures fanOut;
FanOutFigures fanOutBaseline;
List<LookupResult> lookupResults;

// Every process here shares the machine's cores with whatever else runs: the load averages say how much.
var loadAtStart = File.ReadAllText("/proc/loadavg").Trim();
await using var receiver = await Receiver.StartAsync();
AwsDeployment? deployment = null;
try
{
    Console.WriteLine("Starting dynalite, moto, 3 Redis nodes, 2 Frontends and 2 Senders...");
    deployment = await AwsDeployment.StartServersAsync(adminKey);
    await deployment.StartNotifyAsync(frontendDll, senderDll, frontends: 2, senders: 2, cancel.Token);
    var meter = deployment.NewCpuMeter();
    var frontends = deployment.Frontends;

    await using (var metadata = await MetadataHost.StartAsync(deployment.Settings, inProcessTier: false, ring: true, cancel.Token))
    {
        await metadata.Store.CreateTopicAsync(PublishTopic, DateTimeOffset.UtcNow, cancel.Token);
        await metadata.Store.CreateTopicAsync(FanOutTopic, DateTimeOffset.UtcNow, cancel.Token);
        // The publish topic has one subscriber, so that every 202 can be checked as delivered afterwards.
        await SubscribeAsync(metadata, PublishTopic, 1);
        await SubscribeAsync(metadata, FanOutTopic, subscribers);
    }

    // 1. Publish: the bare endpoint, then the two Frontends, the load split between them by worker.
    {
        const string name = "bare Kestrel POST (baseline)";
        Console.WriteLine($"{name}, concurrency {concurrency}...");
        await using var server = ServerProcess.Start(name, benchDll, [BaselineServer.Argument], new Dictionary<string, string>());
        await server.WaitUntilHealthyAsync(cancel.Token);
        var target = new Uri(server.BaseAddress, BaselineServer.Path);
        baseline = await LoadGenerator.RunAsync(name, concurrency, warmup, window, (_, _) => NewPublish(target), () => server.CpuTime, cancel.Token);
    }

    {
        const string name = "Notify publish, 2 Frontends + 2 Senders (Aws mode)";
        Console.WriteLine($"{name}, concurrency {concurrency}...");
        receiver.Reset(1, keepSample: false);
        var targets = frontends.Select(f => new Uri(f.BaseAddress, $"/v1/topics/{PublishTopic}/messages")).ToArray();
        // One publish through each Frontend first: its first SQS call, Redis connection and compiled code
        // are start-up costs, not a rate (they took seconds on a loaded machine).
        using (var client = new HttpClient())
        {
            foreach (var target in targets)
            {
                using var response = await client.SendAsync(NewPublish(target), cancel.Token);
                response.EnsureSuccessStatusCode();
            }
        }

        var cpu = SampleWindowAsync(meter, warmup, window);
        publish = await LoadGenerator.RunAsync(
            name, concurrency, warmup, window, (worker, _) => NewPublish(targets[worker % targets.Length]),
            () => frontends.Aggregate(TimeSpan.Zero, (sum, f) => sum + f.CpuTime), cancel.Token);
        publishCpu = await cpu;

        // Every 202 means SQS acknowledged the message: each must reach the topic's one subscriber.
        var drainStarted = Stopwatch.GetTimestamp();
        publishedTotal = publish.Accepted + targets.Length;
        await WaitForAsync(() => receiver.Requests >= publishedTotal, TimeSpan.FromSeconds(120));
        drainSeconds = Stopwatch.GetElapsedTime(drainStarted).TotalSeconds;
        deliveredAfterPublish = receiver.Requests;
        failed |= deliveredAfterPublish < publishedTotal;
    }

    // 2. Fan-out: M messages to the topic of N webhook subscribers, delivered by the two Senders.
    {
        Console.WriteLine($"fan-out: {messages} messages to {subscribers} subscribers...");
        var expected = (long)messages * subscribers;
        receiver.Reset(subscribers, keepSample: false);
        // Every (message, subscriber) pair is counted once, so a repeated delivery cannot hide a lost one.
        var tally = new DeliveryTally(subscribers, expected, timeLatency: false);
        receiver.Tally = tally;
        var publishedIds = new ConcurrentBag<string>();
        var targets = frontends.Select(f => new Uri(f.BaseAddress, $"/v1/topics/{FanOutTopic}/messages")).ToArray();
        var before = meter.Read();
        var started = Stopwatch.GetTimestamp();
        using (var client = new HttpClient())
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
            {
                while (Interlocked.Increment(ref next) < messages)
                {
                    using var response = await client.SendAsync(NewPublish(targets[worker % targets.Length]), cancel.Token);
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        throw new InvalidOperationException($"Publishing to {FanOutTopic} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancel.Token)}");
                    }

                    using var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel.Token));
                    publishedIds.Add(accepted.RootElement.GetProperty("messageId").GetString()!);
                }
            }));
        }

        var published = Stopwatch.GetTimestamp();
        await WaitForAsync(() => tally.Distinct >= expected, TimeSpan.FromSeconds(180));
        var ended = Stopwatch.GetTimestamp();
        var cores = CpuMeter.Cores(before, meter.Read(), Stopwatch.GetElapsedTime(started, ended).TotalSeconds);
        var (first, last) = receiver.Arrivals;
        var (missing, unknown) = tally.Check([.. publishedIds]);
        fanOut = new FanOutFigures(
            $"Notify, {messages} messages x {subscribers} subscribers, 2 Senders", expected, receiver.Requests, tally.Distinct,
            Stopwatch.GetElapsedTime(started, published).TotalSeconds, Stopwatch.GetElapsedTime(first, last).TotalSeconds,
            Stopwatch.GetElapsedTime(started, last).TotalSeconds, cores, Stopwatch.GetElapsedTime(started, ended).TotalSeconds);
        receiver.Tally = null;
        if (missing > 0 || unknown > 0)
        {
            Console.Error.WriteLine($"fan-out check failed: {missing:N0} (message, subscriber) pairs of the 202s never arrived; {unknown} unknown message ids arrived.");
            failed = true;
        }

        Console.WriteLine("fan-out baseline: raw HttpClient loop...");
        receiver.Reset((int)expected, keepSample: true);
        var loopBefore = meter.Read();
        var (loopStarted, failures) = await BaselineLoop.RunAsync(receiver, (int)expected, 64, cancel.Token);
        var (loopFirst, loopLast) = receiver.Arrivals;
        var loopSeconds = Stopwatch.GetElapsedTime(loopStarted).TotalSeconds;
        var loopCores = CpuMeter.Cores(loopBefore, meter.Read(), loopSeconds);
        fanOutBaseline = new FanOutFigures(
            "raw HttpClient loop, 64 at a time (baseline)", expected, receiver.Requests, receiver.Distinct, 0,
            Stopwatch.GetElapsedTime(loopFirst, loopLast).TotalSeconds, Stopwatch.GetElapsedTime(loopStarted, loopLast).TotalSeconds, loopCores, loopSeconds);
        failed |= failures > 0;
    }

    // 3. The topic lookup, tier by tier.
    lookupResults = await LookupBench.RunAsync(deployment.Settings, PublishTopic, inProcessCount: lookups * 50, redisCount: lookups, dynamoCount: lookups / 2, cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped before the end; servers killed.");
    return 130;
}
finally
{
    ServerProcess.KillAll();
    if (deployment is not null)
    {
        await deployment.DisposeAsync();
    }
}

Line(string.Create(CultureInfo.InvariantCulture,
    $"Aws mode on local emulators: dynalite (DynamoDB), moto (SQS), 3 redis-server nodes; 2 Frontends and 2 standalone Senders, each its own process; {Environment.ProcessorCount} cores shared by all of them and the load generator. {body.Length}-byte publishes over HTTP/1.1 on loopback, {warmup.TotalSeconds:0.#} s warm-up, then {window.TotalSeconds:0.#} s measured."));
Line($"Load average (1, 5, 15 min) from /proc/loadavg: {string.Join(' ', loadAtStart.Split(' ')[..3])} at the start, {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3])} at the end.");
Line();
Line("**Publish** (closed loop, the load split between the two Frontends by connection; every figure of the Notify row is bound by the emulators, see the CPU line):");
Line();
Line("| configuration | concurrency | requests/s (2xx) | p50 latency (ms) | p99 latency (ms) | errors | server CPU (cores) | load generator CPU (cores) |");
Line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var r in new[] { baseline, publish })
{
    Line(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Name} | {r.Concurrency} | {r.PerSecond:N0} | {r.Percentile(0.50):F2} | {r.Percentile(0.99):F2} | {r.WindowErrors} | {r.ServerCores:F2} | {r.GeneratorCores:F2} |"));
}

Line();
Line(string.Create(CultureInfo.InvariantCulture, $"Ratio Notify (Aws mode) / baseline: **{publish.PerSecond / baseline.PerSecond:P1}** (emulator-bound; the 0.5 target of issue 13 is for the embedded mode and does not apply here)."));
Line();
Line("CPU during the measured publish window, in cores and per publish answered in it: " + CpuMeter.Describe(publishCpu, window.TotalSeconds, publish.LatenciesMs.Length, "publish") + ".");
Line();
Line(string.Create(CultureInfo.InvariantCulture,
    $"{(deliveredAfterPublish >= publishedTotal ? "ok" : "NOT DELIVERED")}: {publishedTotal:N0} publishes answered 202 over the whole run (first publishes and warm-up included), {deliveredAfterPublish:N0} deliveries to the topic's subscriber, the last {drainSeconds:F1} s after the load stopped."));
if (publish.FirstFailure is not null)
{
    Line($"{publish.Failed} failed publishes, the first: {publish.FirstFailure}");
}

Line();
Line(string.Create(CultureInfo.InvariantCulture, $"**Fan-out** ({messages} messages published 8 at a time to one topic of {subscribers} webhook subscribers, a Kestrel receiver in the benchmark process):"));
Line();
Line("| configuration | deliveries expected | requests received | distinct deliveries | publishing took (s) | first to last arrival (s) | deliveries/s (first to last) | deliveries/s (from the first publish) |");
Line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var f in new[] { fanOut, fanOutBaseline })
{
    Line(string.Create(CultureInfo.InvariantCulture,
        $"| {f.Name} | {f.Expected:N0} | {f.Received:N0} | {f.Distinct:N0} | {f.PublishSeconds:F2} | {f.ArrivalSeconds:F2} | {f.Expected / f.ArrivalSeconds:N0} | {f.Expected / f.TotalSeconds:N0} |"));
}

Line();
Line(string.Create(CultureInfo.InvariantCulture,
    $"Ratio Notify / baseline (first to last arrival): **{fanOutBaseline.ArrivalSeconds / fanOut.ArrivalSeconds:P1}** (emulator-bound: every message is received from and deleted on moto, every delivery's outcome written to dynalite)."));
Line();
Line("CPU from the first publish until every delivery had arrived, in cores and per delivery: " + CpuMeter.Describe(fanOut.Cores, fanOut.CpuSeconds, fanOut.Expected, "delivery") + ".");
Line();
Line("CPU during the baseline loop, in cores and per request: " + CpuMeter.Describe(fanOutBaseline.Cores, fanOutBaseline.CpuSeconds, fanOutBaseline.Expected, "request") + ".");
Line();
Line("**Topic lookup** (`IMetadataStore.GetTopicAsync`, what publish does per request to find its topic, one call after the other in the benchmark process, the Metadata library composed by `AddNotifyMetadata` as each process composes it):");
Line();
Line("| lookup | tier | calls | mean (µs) | p50 (µs) | p99 (µs) | benchmark CPU (cores) | mean / baseline |");
Line("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var tier in lookupResults.GroupBy(r => r.Tier))
{
    var tierBaseline = tier.Last();
    foreach (var r in tier)
    {
        Line(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Name} | {r.Tier} | {r.Count:N0} | {r.MeanMicroseconds:N2} | {r.P50Microseconds:N2} | {r.P99Microseconds:N2} | {r.Cores:F2} | {r.MeanMicroseconds / tierBaseline.MeanMicroseconds:F2}x |"));
    }
}

Line();
Line(failed ? "A check FAILED (see above)." : "Every check held.");

if (reportPath is not null)
{
    await File.WriteAllTextAsync(reportPath, report.ToString());
}

return failed ? 1 : 0;

void Line(string text = "")
{
    Console.WriteLine(text);
    report.AppendLine(text);
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

// The CPU of every process over the generator's measured window (it starts after the warm-up).
async Task<IReadOnlyList<(string Name, double Cores)>> SampleWindowAsync(CpuMeter meter, TimeSpan warmupTime, TimeSpan windowTime)
{
    await Task.Delay(warmupTime, cancel.Token);
    var before = meter.Read();
    await Task.Delay(windowTime, cancel.Token);
    return CpuMeter.Cores(before, meter.Read(), windowTime.TotalSeconds);
}

async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
{
    var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    while (!condition() && Stopwatch.GetTimestamp() < deadline)
    {
        await Task.Delay(20, cancel.Token);
    }
}

// The topics and their confirmed webhook subscriptions are written through the Metadata library as the
// Frontend writes them (subscribe, then confirm), so no confirmation round trip is needed.
async Task SubscribeAsync(MetadataHost metadata, string topic, int count)
{
    await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancel.Token }, async (i, token) =>
    {
        var (subscription, _) = await metadata.Store.SubscribeAsync(new Subscription
        {
            Id = SortableId.New(TimeProvider.System),
            Topic = topic,
            Protocol = Protocol.Webhook,
            Endpoint = receiver.Url(i).AbsoluteUri,
            Status = SubscriptionStatus.Pending,
            CreatedAt = DateTimeOffset.UtcNow,
        }, token);
        await metadata.Store.ConfirmSubscriptionAsync(subscription.Id, DateTimeOffset.UtcNow, token);
    });
}

// The same request to both servers: the baseline ignores the key.
HttpRequestMessage NewPublish(Uri target)
{
    var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    return request;
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Notify.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Notify.sln not found above " + AppContext.BaseDirectory);
}

int IntArgument(string name, int fallback) => StringArgument(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

double DoubleArgument(string name, double fallback) => StringArgument(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? StringArgument(string name) => Notify.Bench.CommandLine.String(args, name);

/// <summary>One fan-out run: what arrived, how fast, and the CPU each process used meanwhile.</summary>
internal sealed record FanOutFigures(
    string Name, long Expected, long Received, long Distinct, double PublishSeconds, double ArrivalSeconds, double TotalSeconds,
    IReadOnlyList<(string Name, double Cores)> Cores, double CpuSeconds);
