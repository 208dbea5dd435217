using System.Diagnostics;

namespace Notify.Bench.Publish;

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers, each on its own connection, send one request,
/// wait for the whole answer, and send the next, first for the warm-up, then for the measured window.
/// It stops by itself when the window ends.
/// </summary>
internal static class LoadGenerator
{
    /// <param name="newRequest">Builds the request a worker sends next, from the worker's index and its sequence number.</param>
    /// <param name="serverCpu">CPU time used so far by the server under test.</param>
    public static async Task<Measurement> RunAsync(
        string name,
        int concurrency,
        TimeSpan warmup,
        TimeSpan window,
        Func<int, long, HttpRequestMessage> newRequest,
        Func<TimeSpan> serverCpu,
        CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + Ticks(warmup);
        var measureUntil = measureFrom + Ticks(window);
        var workers = Enumerable.Range(0, concurrency)
            .Select(worker => Task.Run(() => WorkAsync(client, worker, newRequest, measureFrom, measureUntil, cancellationToken), cancellationToken))
            .ToArray();

        using var self = Process.GetCurrentProcess();
        await DelayUntilAsync(measureFrom, cancellationToken);
        var (serverBefore, selfBefore) = (serverCpu(), CpuTime(self));
        await DelayUntilAsync(measureUntil, cancellationToken);
        var (serverAfter, selfAfter) = (serverCpu(), CpuTime(self));

        var tallies = await Task.WhenAll(workers);
        return new Measurement(
            name,
            concurrency,
            window,
            [.. tallies.SelectMany(t => t.LatenciesMs)],
            tallies.Sum(t => t.WindowErrors),
            tallies.Sum(t => t.Accepted),
            tallies.Sum(t => t.Failed),
            tallies.Select(t => t.FirstFailure).FirstOrDefault(f => f is not null),
            (serverAfter - serverBefore) / window,
            (selfAfter - selfBefore) / window);
    }

    private static async Task<Tally> WorkAsync(
        HttpClient client,
        int worker,
        Func<int, long, HttpRequestMessage> newRequest,
        long measureFrom,
        long measureUntil,
        CancellationToken cancellationToken)
    {
        var tally = new Tally();
        for (long sequence = 0; Stopwatch.GetTimestamp() < measureUntil; sequence++)
        {
            using var request = newRequest(worker, sequence);
            var started = Stopwatch.GetTimestamp();
            string? failure = null;
            try
            {
                // The default completion option reads the whole answer before returning.
                using var response = await client.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    failure = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
                }
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = "timed out";
            }

            var ended = Stopwatch.GetTimestamp();
            var inWindow = ended >= measureFrom && ended < measureUntil;
            if (failure is null)
            {
                tally.Accepted++;
                if (inWindow)
                {
                    tally.LatenciesMs.Add(Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds);
                }
            }
            else
            {
                tally.Failed++;
                tally.FirstFailure ??= failure;
                if (inWindow)
                {
                    tally.WindowErrors++;
                }
            }
        }

        return tally;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static async Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, cancellationToken);
        }
    }

    private sealed class Tally
    {
        public List<double> LatenciesMs { get; } = new(capacity: 16_384);

        public long Accepted { get; set; }

        public long Failed { get; set; }

        public long WindowErrors { get; set; }

        public string? FirstFailure { get; set; }
    }
}
