// Deliveries per second and publish-to-receipt latency from a stream of messages to webhook subscribers, in the
// configuration users run (the embedded default: the Frontend process with its Sender in-process), against a
// raw HttpClient loop posting the same body to the same receiver. Usage:
//   dotnet run -c Release --project bench/DeliveryBench -- [--subscribers 50,1000] [--messages 2000,100]
//        [--rates 20,2] [--duration 10] [--publishers 4] [--warmup 200] [--concurrency 64]
//        [--frontend PATH/Notify.Frontend.dll] [--dir PATH] [--frontend-env KEY=VALUE]... [--report PATH]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Notify.Bench.FanOut;
using Notify.Bench.Publish;

var counts = IntList("--subscribers", [50, 1000]);
// Throughput: messages per topic, ~100,000 deliveries each by default.
var streamMessages = IntList("--messages", [2000, 100]);
// Latency: publishes per second per topic, ~1,000 and ~2,000 deliveries/s by default.
var rates = DoubleList("--rates", [20, 2]);
var duration = TimeSpan.FromSeconds(DoubleArgument("--duration", 10));
var publishers = (int)DoubleArgument("--publishers", 4);
// Messages to the first topic before anything is measured, so the Frontend's code is compiled.
var warmupMessages = (int)DoubleArgument("--warmup", 200);
// The Sender's default delivery slots (Notify:Sender:MaxConcurrentDeliveries).
var concurrency = (int)DoubleArgument("--concurrency", 64);
var stall = TimeSpan.FromSeconds(DoubleArgument("--stall", 60));
var reportPath = StringArgument("--report");
const int MessageLength = 1024;
if (counts.Length != streamMessages.Length || counts.Length != rates.Length)
{
    Console.Error.WriteLine("--subscribers, --messages and --rates need one value per subscriber count.");
    return 2;
}

if (FrontendRun.FrontendDll(args) is not { } frontendDll)
{
    return 2;
}

var root = FrontendRun.DataDirectory(args, "notify-delivery-bench-");

using var cancel = new CancellationTokenSource();
using var signals = FrontendRun.StopOnSignals(cancel);

var adminKey = "nfy_bench_" + Guid.NewGuid().ToString("N");
var throughputRows = new List<string>();
var latencyRows = new List<string>();
var targets = new List<string>();
var failures = new List<string>();
// Every message published so far: a later phase counts their deliveries apart.
var published = new HashSet<string>(StringComparer.Ordinal);
await using var receiver = await Receiver.StartAsync();
if (!await FrontendRun.RunAsync(root, cancel, async () =>
{
    var setup = Stopwatch.StartNew();
    foreach (var count in counts)
    {
        await SubscriberSetup.CreateAsync(root, Topic(count), count, receiver.Url, cancel.Token);
    }

    Console.WriteLine($"{counts.Sum():N0} confirmed webhook subscriptions to {receiver.BaseAddress}s/{{i}} in {setup.Elapsed.TotalSeconds:F1} s");

    await using var server = ServerProcess.Start("Frontend", frontendDll, [], FrontendRun.Environment(args, root, adminKey));
    await server.WaitUntilHealthyAsync(cancel.Token);
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(publishers, 64) }) { BaseAddress = server.BaseAddress };

    Console.WriteLine($"Warm-up: {warmupMessages} messages to {counts[0]} subscribers ({FrontendRun.Load()})...");
    await StreamAsync(server, client, counts[0], warmupMessages, record: false);

    // Throughput: each Notify stream between two baseline loops of the same number of posts.
    var baselines = new List<double>();
    baselines.Add(await BaselineAsync(counts[0], counts[0] * streamMessages[0]));
    for (var i = 0; i < counts.Length; i++)
    {
        var rate = await StreamAsync(server, client, counts[i], streamMessages[i], record: true);
        var posts = counts[i] * streamMessages[i];
        var after = await BaselineAsync(counts[i], posts);
        // The loop just before ran for the previous count when the post totals differ; run one for this count.
        var before = i == 0 || counts[i - 1] * streamMessages[i - 1] == posts ? baselines[^1] : await BaselineAsync(counts[i], posts);
        baselines.Add(after);
        var ratio = rate / ((before + after) / 2);
        var ratioOk = ratio >= 0.5;
        var rateOk = rate >= 10_000;
        targets.Add(string.Create(CultureInfo.InvariantCulture,
            $"- {counts[i]:N0} subscribers: Notify / raw loop **{ratio:P0}** (target ≥ 50%: **{FrontendRun.Met(ratioOk)}**); **{rate:N0}** deliveries/s (target ≥ 10,000: **{FrontendRun.Met(rateOk)}**)"));
    }

    // Latency: an open-model publisher at a moderate rate per topic.
    for (var i = 0; i < counts.Length; i++)
    {
        await LatencyAsync(server, client, counts[i], rates[i]);
    }

    await server.KillAsync();
}))
{
    return 130;
}

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Deliveries to webhook subscribers on loopback, {MessageLength:N0}-byte messages; {Environment.ProcessorCount} cores shared by the Frontend, the receiver, the publishers and the baseline loop; one Frontend for the whole run, after a warm-up of {warmupMessages} messages.");
report.AppendLine();
report.AppendLine("**Throughput** (deliveries/s from the first arrival to the last; the raw loop posts the same number of requests of the body Notify delivered, 64 at a time):");
report.AppendLine();
report.AppendLine("| configuration | load (1/5/15 min) | messages × subscribers | publishing (s) | deliveries/s | pairs received / repeats | CPU s: Frontend / bench |");
report.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
throughputRows.ForEach(r => report.AppendLine(r));
report.AppendLine();
report.AppendLine("**Latency** (open model: publishes sent on a schedule; per delivery, the receiver's clock at arrival minus the notification's `timestamp`, which the Frontend sets when it accepts the publish, before the queue write; and minus the scheduled send time, which adds the publish request itself):");
report.AppendLine();
report.AppendLine("| subscribers | load (1/5/15 min) | messages/s (deliveries/s) | deliveries | since `timestamp`: p50 / p99 / max (ms) | since the scheduled send: p50 / p99 / max (ms) | pairs received / repeats |");
report.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
latencyRows.ForEach(r => report.AppendLine(r));
report.AppendLine();
report.AppendLine("**Targets:**");
report.AppendLine();
targets.ForEach(t => report.AppendLine(t));
if (failures.Count > 0)
{
    report.AppendLine();
    report.AppendLine("**Checks failed:**");
    report.AppendLine();
    failures.ForEach(f => report.AppendLine("- " + f));
}
else
{
    report.AppendLine();
    report.AppendLine("Checks: every published message reached every subscriber of its topic (distinct message id × subscriber path, counted by the receiver); repeats are in the tables.");
}

Console.WriteLine();
Console.Write(report);
if (reportPath is not null)
{
    await File.WriteAllTextAsync(reportPath, report.ToString());
}

return failures.Count > 0 ? 1 : 0;

// Publishes `messages` messages to the topic of `subscribers` as fast as the Frontend takes them (a few publishers,
// each sending the next once the last was answered), waits for every delivery; returns deliveries/s.
async Task<double> StreamAsync(ServerProcess server, HttpClient client, int subscribers, int messages, bool record)
{
    var load = FrontendRun.Load();
    var name = $"Notify, {subscribers:N0} subscribers";
    if (record)
    {
        Console.WriteLine($"{name}, {messages:N0} messages ({load})...");
    }

    var tally = Track(subscribers, messages, timeLatency: false);
    var frontendCpu = server.CpuTime;
    var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var ids = new ConcurrentBag<string>();
    var next = -1;
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, publishers).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) < messages)
        {
            ids.Add(await PublishAsync(client, subscribers, DateTimeOffset.UtcNow));
        }
    }));
    var publishing = Stopwatch.GetElapsedTime(started);
    var (rate, received, repeats) = await SettleAsync(name, server, tally, ids);
    if (record)
    {
        throughputRows.Add(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {load} | {messages:N0} × {subscribers:N0} | {publishing.TotalSeconds:F1} | {rate:N0} | {received:N0} / {repeats:N0} | {(server.CpuTime - frontendCpu).TotalSeconds:F1} / {(Process.GetCurrentProcess().TotalProcessorTime - benchCpu).TotalSeconds:F1} |"));
        Console.WriteLine(throughputRows[^1]);
    }

    return rate;
}

// Publishes on a schedule (`rate` per second for the duration), each publish on its own task at its time, so a
// slow answer delays no later publish; the receiver times every delivery.
async Task LatencyAsync(ServerProcess server, HttpClient client, int subscribers, double rate)
{
    var load = FrontendRun.Load();
    var messages = (int)Math.Round(rate * duration.TotalSeconds);
    var name = $"latency, {subscribers:N0} subscribers";
    Console.WriteLine($"{name}, {rate} messages/s for {duration.TotalSeconds} s ({load})...");
    var tally = Track(subscribers, messages, timeLatency: true);
    var ids = new ConcurrentBag<string>();
    var start = DateTimeOffset.UtcNow;
    var clock = Stopwatch.StartNew();
    var sends = new List<Task>();
    for (var k = 0; k < messages; k++)
    {
        var due = TimeSpan.FromSeconds(k / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed, cancel.Token);
        }

        sends.Add(Task.Run(async () => ids.Add(await PublishAsync(client, subscribers, start + due))));
    }

    await Task.WhenAll(sends);
    var (_, received, repeats) = await SettleAsync(name, server, tally, ids);
    var (sinceTimestamp, sinceSent) = tally.Latencies();
    if (tally.Unreadable > 0)
    {
        failures.Add($"{name}: {tally.Unreadable} deliveries without a readable timestamp");
    }

    var p50 = Percentile(sinceTimestamp, 0.50);
    var p99 = Percentile(sinceTimestamp, 0.99);
    latencyRows.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {subscribers:N0} | {load} | {rate:G} ({rate * subscribers:N0}) | {sinceTimestamp.Length:N0} | {p50:F1} / {p99:F1} / {sinceTimestamp.LastOrDefault():F1} | {Percentile(sinceSent, 0.50):F1} / {Percentile(sinceSent, 0.99):F1} / {sinceSent.LastOrDefault():F1} | {received:N0} / {repeats:N0} |"));
    Console.WriteLine(latencyRows[^1]);
    targets.Add(string.Create(CultureInfo.InvariantCulture,
        $"- {subscribers:N0} subscribers at {rate:G} messages/s: p50 **{p50:F1} ms** (target ≤ 20 ms: **{FrontendRun.Met(p50 <= 20)}**), p99 **{p99:F1} ms** (target ≤ 100 ms: **{FrontendRun.Met(p99 <= 100)}**), since `timestamp`"));
}

DeliveryTally Track(int subscribers, int messages, bool timeLatency)
{
    receiver.Reset(subscribers, keepSample: false, earlier: published.ToHashSet(StringComparer.Ordinal));
    var tally = new DeliveryTally(subscribers, (long)subscribers * messages, timeLatency);
    receiver.Tally = tally;
    return tally;
}

// Waits for every (message, subscriber) pair, then for late repeats and for the queue to empty (so the next
// phase starts clean); checks what arrived against what was published.
async Task<(double Rate, long Received, long Repeats)> SettleAsync(string name, ServerProcess server, DeliveryTally tally, IReadOnlyCollection<string> ids)
{
    if (!await ArrivalWait.UntilAsync(tally.Complete, () => tally.Requests, stall, cancel.Token))
    {
        Console.Error.WriteLine($"{name}: no delivery for {stall.TotalSeconds:F0} s at {tally.Distinct:N0} pairs; the Frontend's last output:\n{server.Output}");
    }

    var (first, last) = receiver.Arrivals;
    // A page handed out twice would arrive within moments of the last first delivery.
    await Task.Delay(TimeSpan.FromSeconds(1), cancel.Token);
    var undeleted = await QueueLeftovers.WaitUntilEmptyAsync(root, TimeSpan.FromSeconds(30), cancel.Token);
    if (undeleted > 0)
    {
        failures.Add($"{name}: {undeleted} queue message(s) still undeleted 30 s after the last delivery");
    }

    var (missing, unknown) = tally.Check(ids.ToHashSet(StringComparer.Ordinal));
    if (missing > 0 || unknown > 0)
    {
        failures.Add($"{name}: {missing:N0} (message, subscriber) pairs never delivered, {unknown} unpublished message ids received");
    }

    published.UnionWith(ids);
    return (tally.Distinct / Stopwatch.GetElapsedTime(first, last).TotalSeconds, tally.Distinct, tally.Requests - tally.Distinct);
}

// The raw HttpClient loop: `posts` requests of the body Notify delivered last, 64 at a time, to the same paths.
async Task<double> BaselineAsync(int subscribers, int posts)
{
    var load = FrontendRun.Load();
    var name = $"raw HttpClient loop, {subscribers:N0} paths, concurrency {concurrency} (baseline)";
    Console.WriteLine($"{name} ({load})...");
    receiver.Reset(subscribers, keepSample: true);
    var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var (_, failed) = await BaselineLoop.RunAsync(receiver, subscribers, concurrency, cancel.Token, posts);
    var benchCpuUsed = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;
    var (first, last) = receiver.Arrivals;
    var rate = receiver.Requests / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
    throughputRows.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {load} | {posts:N0} posts | – | {rate:N0} | {receiver.Requests:N0} / – | – / {benchCpuUsed.TotalSeconds:F1} |"));
    Console.WriteLine(throughputRows[^1]);
    if (failed > 0)
    {
        failures.Add($"{name}: {failed} requests not answered 200");
    }

    return rate;
}

async Task<string> PublishAsync(HttpClient client, int subscribers, DateTimeOffset sent)
{
    var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = DeliveryTally.MessageText(sent, MessageLength - 14) });
    using var publish = new HttpRequestMessage(HttpMethod.Post, $"v1/topics/{Topic(subscribers)}/messages")
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };
    publish.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
    using var response = await client.SendAsync(publish, cancel.Token);
    var answer = await response.Content.ReadAsStringAsync(cancel.Token);
    if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
    {
        throw new InvalidOperationException($"The publish answered {(int)response.StatusCode}: {answer}");
    }

    using var accepted = JsonDocument.Parse(answer);
    return accepted.RootElement.GetProperty("messageId").GetString()!;
}

static string Topic(int subscribers) => "fan" + subscribers.ToString(CultureInfo.InvariantCulture);

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

int[] IntList(string name, int[] fallback) => [.. DoubleList(name, [.. fallback.Select(v => (double)v)]).Select(v => (int)v)];

double[] DoubleList(string name, double[] fallback) =>
    StringArgument(name) is { } text ? [.. text.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))] : fallback;

double DoubleArgument(string name, double fallback) => FrontendRun.DoubleArgument(args, name, fallback);

string? StringArgument(string name) => FrontendRun.StringArgument(args, name);
