// One message published to a topic of N webhook subscribers, in the configuration users run (the embedded
// default: the Frontend process with its Sender in-process), against a raw HttpClient loop posting the same
// body to the same receiver. Usage:
//   dotnet run -c Release --project bench/FanOutBench -- [--subscribers 100000] [--runs 1] [--page-size 250,500,1000]
//        [--messages 3] [--concurrency 64] [--frontend PATH/Notify.Frontend.dll] [--dir PATH] [--frontend-env KEY=VALUE]... [--linger SECONDS]
//        [--report PATH] (the markdown section for docs/benchmarks.md)
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Notify.Bench.FanOut;
using Notify.Bench.Publish;

var subscribers = (int)DoubleArgument("--subscribers", 100_000);
var runs = (int)DoubleArgument("--runs", 1);
// The Sender's default delivery slots (Notify:Sender:MaxConcurrentDeliveries).
var concurrency = (int)DoubleArgument("--concurrency", 64);
// Empty: the product's default page size.
var pageSizes = StringArgument("--page-size") is { } sizes
    ? sizes.Split(',').Select(s => (int?)int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
    : [null];
// For profiling: keep the Frontend running this long after the run, so a trace attached to it can end first.
var linger = TimeSpan.FromSeconds(DoubleArgument("--linger", 0));
var stall = TimeSpan.FromSeconds(DoubleArgument("--stall", 120));
// Messages published one after another to each new Frontend: the first meets a process that has just started
// (its code not yet compiled), the next ones a process that has been running, as a deployed service has.
var messagesPerProcess = (int)DoubleArgument("--messages", 3);
if (FrontendRun.FrontendDll(args) is not { } frontendDll)
{
    return 2;
}

var root = FrontendRun.DataDirectory(args, "notify-fanout-bench-");

using var cancel = new CancellationTokenSource();
using var signals = FrontendRun.StopOnSignals(cancel);

const string Topic = "crowd";
var adminKey = "nfy_bench_" + Guid.NewGuid().ToString("N");
var rows = new List<string>();
var notes = new List<string>();
var failedChecks = new List<string>();
var reportPath = StringArgument("--report");
var setupTime = TimeSpan.Zero;
var baselines = new List<double>();
var notifyRuns = new List<(string Name, double Rate, int BaselineIndex, double FirstMs, long PeakKiB)>();
// Every message published so far: a later run counts their deliveries apart (see QueueLeftovers); each run
// gets a copy, since its own message joins this set once published.
var published = new HashSet<string>(StringComparer.Ordinal);
await using var receiver = await Receiver.StartAsync();
if (!await FrontendRun.RunAsync(root, cancel, async () =>
{
    Console.WriteLine($"Creating {subscribers:N0} confirmed webhook subscriptions to {receiver.BaseAddress}s/{{i}} ({FrontendRun.Load()})...");
    var setup = Stopwatch.StartNew();
    await SubscriberSetup.CreateAsync(root, Topic, subscribers, receiver.Url, cancel.Token);
    setupTime = setup.Elapsed;
    Console.WriteLine($"  done in {setupTime.TotalSeconds:F0} s");

    foreach (var pageSize in pageSizes)
    {
        for (var run = 1; run <= runs; run++)
        {
            await RunNotifyAsync(pageSize, run);
            await RunBaselineAsync();
        }
    }
}))
{
    return 130;
}

var report = new StringBuilder();
report.AppendLine(string.Create(CultureInfo.InvariantCulture,
    $"One message at a time to {subscribers:N0} webhook subscribers on loopback, {messagesPerProcess} per Frontend; {Environment.ProcessorCount} cores shared by the Frontend, the receiver and the baseline loop; set-up of the subscriptions {setupTime.TotalSeconds:F0} s (not measured)."));
report.AppendLine();
report.AppendLine("| configuration | load (1/5/15 min) | first delivery after the 202 (ms) | total after the 202 (s) | deliveries/s (first→last) | deliveries/s (202→last) | peak RSS: VmHWM / max sampled (MB) | distinct / duplicates | CPU s: Frontend / bench |");
report.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
rows.ForEach(row => report.AppendLine(row));
report.AppendLine();
report.AppendLine("**Targets** (each message against the mean of the baselines just before and after its Frontend):");
report.AppendLine();
foreach (var (name, rate, index, firstMs, peakKiB) in notifyRuns)
{
    // The baselines run just before and just after this run; the mean of those that exist.
    var around = new[] { index - 1, index }.Where(i => i >= 0 && i < baselines.Count).Select(i => baselines[i]).ToArray();
    var ratio = around.Length == 0 ? double.NaN : rate / around.Average();
    var memoryOk = peakKiB <= 512 * 1024;
    var firstOk = firstMs <= 1000;
    var rateOk = ratio >= 0.5;
    report.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"- {name}: Notify / baseline **{ratio:P0}** (target ≥ 50%: **{FrontendRun.Met(rateOk)}**); peak {peakKiB / 1024.0:F0} MB (target ≤ 512 MB: **{FrontendRun.Met(memoryOk)}**); first delivery {firstMs:F0} ms after the 202 (target ≤ 1,000 ms: **{FrontendRun.Met(firstOk)}**)"));
}

report.AppendLine();
report.AppendLine(failedChecks.Count == 0
    ? "Checks: every message reached each of its subscribers; repeats are in the table."
    : "**Checks failed:**\n\n" + string.Join('\n', failedChecks.Select(c => "- " + c)));

foreach (var note in notes)
{
    Console.WriteLine(note);
}

Console.WriteLine();
Console.Write(report);
if (reportPath is not null)
{
    await File.WriteAllTextAsync(reportPath, report.ToString());
}

// Only a lost delivery or a stuck queue fails the run; a target not met is a figure, reported above.
return failedChecks.Count > 0 ? 1 : 0;

async Task RunNotifyAsync(int? pageSize, int run)
{
    var name = string.Create(CultureInfo.InvariantCulture, $"Notify, page size {(pageSize is null ? "default" : pageSize)}, run {run}");
    var load = FrontendRun.Load();
    Console.WriteLine($"{name} ({load})...");
    // What the last Frontend left on the shared queue would be delivered again by this one.
    var leftover = await QueueLeftovers.ClearAsync(root, cancel.Token);
    if (leftover > 0)
    {
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {leftover} queue message(s) left by the previous run's Frontend were removed before it started"));
    }

    receiver.Reset(subscribers, keepSample: false, earlier: published.ToHashSet(StringComparer.Ordinal));
    var environment = FrontendRun.Environment(args, root, adminKey);
    if (pageSize is not null)
    {
        environment["Notify__Sender__FanOutPageSize"] = pageSize.Value.ToString(CultureInfo.InvariantCulture);
    }

    await using var server = ServerProcess.Start("Frontend", frontendDll, [], environment);
    await server.WaitUntilHealthyAsync(cancel.Token);
    await using var memory = new MemoryWatch(server.Id);
    using var client = new HttpClient { BaseAddress = server.BaseAddress };
    for (var message = 1; message <= messagesPerProcess; message++)
    {
        var label = string.Create(CultureInfo.InvariantCulture, $"{name}, message {message}{(message == 1 ? " (new process)" : "")}");
        if (message > 1)
        {
            load = FrontendRun.Load();
            Console.WriteLine($"{label} ({load})...");
            receiver.Reset(subscribers, keepSample: false, earlier: published.ToHashSet(StringComparer.Ordinal));
        }

        await PublishAndMeasureAsync(label, load, server, client, memory);
    }

    await Task.Delay(linger, cancel.Token);
    await server.KillAsync();
}

async Task PublishAndMeasureAsync(string name, string load, ServerProcess server, HttpClient client, MemoryWatch memory)
{
    var frontendCpu = server.CpuTime;
    var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
    using var publish = new HttpRequestMessage(HttpMethod.Post, $"v1/topics/{Topic}/messages")
    {
        Content = new StringContent("{\"message\":\"" + new string('x', 1024 - 14) + "\"}", Encoding.UTF8, "application/json"),
    };
    publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    var sent = Stopwatch.GetTimestamp();
    using (var response = await client.SendAsync(publish, cancel.Token))
    {
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The publish answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancel.Token)}");
        }

        using var accepted202 = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel.Token));
        published.Add(accepted202.RootElement.GetProperty("messageId").GetString()!);
    }

    var accepted = Stopwatch.GetTimestamp();
    var complete = await WaitForEveryoneAsync(name, server);
    // Late repeats (a page handed out twice) would arrive within moments of the last first delivery.
    await Task.Delay(TimeSpan.FromSeconds(1), cancel.Token);
    var (first, last) = receiver.Arrivals;
    var peakKiB = memory.PeakKiB();
    var metrics = await ScrapeAsync(client);
    var frontendCpuUsed = server.CpuTime - frontendCpu;
    var benchCpuUsed = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;
    // The kill after the last message is a crash to the queue: a page delivered but not yet deleted would be
    // delivered again by the next run's Frontend; and the next message should not meet this one's tail.
    // Its last pages settle first (not measured).
    var undeleted = await QueueLeftovers.WaitUntilEmptyAsync(root, TimeSpan.FromSeconds(30), cancel.Token);
    if (undeleted > 0)
    {
        failedChecks.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {undeleted} queue message(s) still undeleted after waiting 30 s"));
    }

    var (requests, distinct) = (receiver.Requests, receiver.Distinct);
    if (receiver.EarlierRequests > 0)
    {
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {receiver.EarlierRequests} deliveries of an earlier message (not counted as this one's)"));
    }

    var firstMs = first == 0 ? double.NaN : Stopwatch.GetElapsedTime(accepted, first).TotalMilliseconds;
    var total = Stopwatch.GetElapsedTime(accepted, last);
    var rate = distinct / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
    rows.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {load} | {firstMs:N0} | {total.TotalSeconds:F1} | {rate:N0} | {distinct / total.TotalSeconds:N0} | {peakKiB / 1024.0:F0} / {memory.MaxSampledRssKiB / 1024.0:F0} | {distinct:N0} / {requests - distinct:N0} | {frontendCpuUsed.TotalSeconds:F1} / {benchCpuUsed.TotalSeconds:F1} |"));
    notes.Add(string.Create(CultureInfo.InvariantCulture,
        $"{name}: publish answered 202 in {Stopwatch.GetElapsedTime(sent, accepted).TotalMilliseconds:F0} ms; {(complete ? "every subscriber reached" : "INCOMPLETE")}; Frontend /metrics at the end: {metrics}"));
    if (requests > distinct)
    {
        // Which subscribers, and what the Frontend said: a page delivered twice shows as a run of indexes.
        notes.Add($"{name}: REPEATED {receiver.RepeatedRanges()}; the Frontend's last output:\n{server.Output}");
    }

    if (!complete || distinct != subscribers)
    {
        failedChecks.Add($"{name}: MISSING {subscribers - distinct:N0} subscribers");
    }

    notifyRuns.Add((name, rate, baselines.Count, firstMs, peakKiB));
    Console.WriteLine(rows[^1]);
}

async Task RunBaselineAsync()
{
    var load = FrontendRun.Load();
    var name = $"raw HttpClient loop, concurrency {concurrency} (baseline)";
    Console.WriteLine($"{name} ({load})...");
    receiver.Reset(subscribers, keepSample: true);
    var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var (started, failures) = await BaselineLoop.RunAsync(receiver, subscribers, concurrency, cancel.Token);
    var benchCpuUsed = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;
    var (first, last) = receiver.Arrivals;
    var total = Stopwatch.GetElapsedTime(started, last);
    var rate = receiver.Distinct / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
    baselines.Add(rate);
    rows.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {load} | {Stopwatch.GetElapsedTime(started, first).TotalMilliseconds:N0} | {total.TotalSeconds:F1} | {rate:N0} | {receiver.Distinct / total.TotalSeconds:N0} | – | {receiver.Distinct:N0} / {receiver.Requests - receiver.Distinct:N0} | – / {benchCpuUsed.TotalSeconds:F0} |"));
    if (failures > 0)
    {
        notes.Add($"{name}: {failures} requests not answered 200");
    }

    Console.WriteLine(rows[^1]);
}

// Waits for every subscriber, or until no delivery has arrived for the stall time (a stuck run).
async Task<bool> WaitForEveryoneAsync(string name, ServerProcess server)
{
    if (await ArrivalWait.UntilAsync(receiver.Everyone, () => receiver.Requests, stall, cancel.Token))
    {
        return true;
    }

    Console.Error.WriteLine($"{name}: no delivery for {stall.TotalSeconds:F0} s at {receiver.Distinct:N0} of {subscribers:N0}; the Frontend's last output:\n{server.Output}");
    return false;
}

// The Frontend's own view of its memory, from its Prometheus endpoint: the .NET runtime's GC and
// working-set gauges, when exported.
async Task<string> ScrapeAsync(HttpClient client)
{
    try
    {
        var text = await client.GetStringAsync("metrics", cancel.Token);
        var wanted = text.Split('\n')
            .Where(l => !l.StartsWith('#') && (l.Contains("gc_heap", StringComparison.Ordinal) || l.Contains("gc_last_collection", StringComparison.Ordinal)
                || l.Contains("working_set", StringComparison.Ordinal) || l.Contains("memory", StringComparison.Ordinal)))
            .Take(12);
        var joined = string.Join("; ", wanted);
        return joined.Length == 0 ? "(no GC or memory gauges exported)" : joined;
    }
    catch (HttpRequestException e)
    {
        return "(unavailable: " + e.Message + ")";
    }
}

string? StringArgument(string name) => FrontendRun.StringArgument(args, name);

double DoubleArgument(string name, double fallback) => FrontendRun.DoubleArgument(args, name, fallback);
