using System.Globalization;
using System.Text;

namespace Notify.Bench.Publish;

/// <summary>The markdown fragment of a run: the wrk table, the open-model table, the checks and a line per target.</summary>
internal static class PublishReport
{
    internal sealed record Settings(
        int BodyBytes, int Threads, int Connections, TimeSpan Warmup, TimeSpan Window, int OpenConnections, TimeSpan OpenWarmup, TimeSpan OpenWindow, int Subscribers);

    public static string Write(
        Settings settings,
        IReadOnlyList<(string Name, WrkResult Result, ServerCost Cost)> throughput,
        IReadOnlyList<(string Name, double Percent, OpenModelResult Result)> open,
        IReadOnlyList<string> checks)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        var bare = throughput[0].Result.SuccessesPerSecond;
        Line($"Throughput: wrk, {settings.Threads} threads, {settings.Connections} connections, {settings.BodyBytes:N0}-byte JSON body, {settings.Warmup.TotalSeconds:0.#} s warm-up then {settings.Window.TotalSeconds:0.#} s measured, a fresh server process per configuration; {Environment.ProcessorCount} cores shared by the server, wrk and (with subscribers) the webhook receiver.");
        text.AppendLine();
        text.AppendLine("| configuration | requests/s (2xx) | p50 (ms) | p99 (ms) | non-2xx | socket errors | / bare | server CPU per request (µs) | allocated per request (KiB) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, r, cost) in throughput)
        {
            var allocated = cost.AllocatedBytes is { } bytes ? (bytes / 1024).ToString("F1", CultureInfo.InvariantCulture) : "–";
            Line($"| {name} | {r.SuccessesPerSecond:N0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.NotSuccess:N0} | {r.SocketErrors + r.Timeouts:N0} | {r.SuccessesPerSecond / bare:F2} | {cost.CpuMicroseconds:N0} | {allocated} |");
        }

        text.AppendLine();
        text.AppendLine("Server CPU: the process's user + system time over the measured window per 2xx answer (the Sender's work too, when in process); allocated: the runtime's `dotnet.gc.heap.total_allocated` from Notify's `/metrics` over the same window, per 2xx answer.");

        var notifyMax = throughput[1].Result.SuccessesPerSecond;
        text.AppendLine();
        Line($"Open model: requests sent on a fixed schedule by {settings.OpenConnections} connections, latency counted from each request's scheduled time; offered rates as fractions of Notify default's {notifyMax:N0} requests/s above, the same absolute rates for the bare endpoint; {settings.OpenWarmup.TotalSeconds:0.#} s warm-up then {settings.OpenWindow.TotalSeconds:0.#} s measured per rate, one server process for all rates.");
        text.AppendLine();
        text.AppendLine("| server | offered/s | of Notify's max | completed/s | p50 (ms) | p99 (ms) | max (ms) | failed |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, percent, r) in open)
        {
            Line($"| {name} | {r.OfferedPerSecond:N0} | {percent:0.#}% | {r.CompletedPerSecond:N0} | {r.Percentile(0.50):F2} | {r.Percentile(0.99):F2} | {r.Max:F2} | {r.Failed:N0} |");
        }

        text.AppendLine();
        text.AppendLine("Durability: each Notify process killed (SIGKILL) right after its load, then its files read:");
        text.AppendLine();
        foreach (var check in checks)
        {
            text.Append("- ").AppendLine(check);
        }

        text.AppendLine();
        text.AppendLine("Targets:");
        text.AppendLine();
        Target($"Notify default publish >= 0.5 of bare", throughput[1].Result.SuccessesPerSecond / bare >= 0.5,
            $"{throughput[1].Result.SuccessesPerSecond / bare:F2} ({notifyMax:N0} / {bare:N0} requests/s)");
        var half = open.FirstOrDefault(o => !o.Name.StartsWith("bare", StringComparison.Ordinal) && o.Percent == 50);
        if (half.Result is { } h)
        {
            Target($"p99 <= 10 ms at half of Notify's max rate", h.Percentile(0.99) <= 10 && h.Unanswered == 0,
                $"p99 {h.Percentile(0.99):F2} ms at {h.OfferedPerSecond:N0}/s offered, {h.Unanswered:N0} unanswered");
        }
        else
        {
            text.AppendLine("- not measured: p99 <= 10 ms at half of Notify's max rate (--rates has no 50)");
        }

        var keyed = throughput[4].Result.SuccessesPerSecond;
        Target($"with a unique Idempotency-Key >= 0.35 of bare", keyed / bare >= 0.35, $"{keyed / bare:F2} ({keyed:N0} / {bare:N0} requests/s)");
        return text.ToString();

        void Target(string what, bool met, FormattableString figures) =>
            text.Append("- ").Append(met ? "met" : "not met").Append(": ").Append(what).Append(": ").AppendLine(figures.ToString(CultureInfo.InvariantCulture));
    }
}
