using System.Diagnostics;
using System.Threading.Channels;

namespace Notify.Bench.Publish;

/// <summary>One offered rate's run: latencies of the measured slots, counted from each slot's scheduled time.</summary>
internal sealed record OpenModelResult(double OfferedPerSecond, TimeSpan Window, double[] LatenciesMs, long Failed, long Unanswered, long Accepted, string? FirstFailure)
{
    public double CompletedPerSecond => LatenciesMs.Length / Window.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1))];
    }

    public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs.Max();
}

/// <summary>
/// Open-model load: requests are due on a fixed schedule (slot i at start + i / rate) whatever the server
/// does, and each latency is counted from its slot's scheduled time, not from when it was sent, so a stall
/// shows in the figures instead of slowing the generator down (no coordinated omission). wrk cannot do
/// this (it is closed-loop), hence this generator.
/// A pacer thread releases the slots that are due into a queue about every millisecond; <c>connections</c>
/// workers, each with its own connection, take the next released slot and send it. A slot waiting for a
/// free worker is waiting on the server, and that wait is in its latency. The pacer's ~1 ms tick is in
/// every figure, for the baseline alike.
/// </summary>
internal static class OpenModelGenerator
{
    public static async Task<OpenModelResult> RunAsync(
        double rate, int connections, TimeSpan warmup, TimeSpan window, Func<long, HttpRequestMessage> newRequest, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        var warmupSlots = (long)(rate * warmup.TotalSeconds);
        var slots = warmupSlots + (long)(rate * window.TotalSeconds);
        var latencies = new double[slots];
        Array.Fill(latencies, double.NaN);
        var due = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleWriter = true });
        var start = Stopwatch.GetTimestamp();
        long Scheduled(long slot) => start + (long)(slot * Stopwatch.Frequency / rate);

        var pacer = new Thread(() =>
        {
            for (long slot = 0; slot < slots && !cancellationToken.IsCancellationRequested;)
            {
                var now = Stopwatch.GetTimestamp();
                while (slot < slots && Scheduled(slot) <= now)
                {
                    due.Writer.TryWrite(slot++);
                }

                Thread.Sleep(1);
            }

            due.Writer.TryComplete();
        }) { IsBackground = true, Name = "open-model pacer", Priority = ThreadPriority.AboveNormal };

        long failed = 0, accepted = 0;
        string? firstFailure = null;
        async Task WorkAsync()
        {
            await foreach (var slot in due.Reader.ReadAllAsync(cancellationToken))
            {
                using var request = newRequest(slot);
                string? failure = null;
                try
                {
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

                if (failure is null)
                {
                    Interlocked.Increment(ref accepted);
                    latencies[slot] = Stopwatch.GetElapsedTime(Scheduled(slot)).TotalMilliseconds;
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, failure, null);
                }
            }
        }

        pacer.Start();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        var measured = latencies.AsSpan((int)warmupSlots);
        var answered = measured.ToArray().Where(l => !double.IsNaN(l)).ToArray();
        // A measured slot that failed has no latency: counted apart, as unanswered.
        return new OpenModelResult(rate, window, answered, failed, measured.Length - answered.Length, accepted, firstFailure);
    }
}
