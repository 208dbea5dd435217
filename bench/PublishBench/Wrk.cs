using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Notify.Bench.Publish;

/// <summary>One wrk run's figures: <see cref="Requests"/> counts every answer, <see cref="NotSuccess"/> those with a status of 400 or more.</summary>
internal sealed record WrkResult(
    long Requests, TimeSpan Duration, long NotSuccess, long SocketErrors, long Timeouts, double P50Ms, double P99Ms, double MaxMs)
{
    public long Successes => Requests - NotSuccess;

    public double SuccessesPerSecond => Successes / Duration.TotalSeconds;
}

/// <summary>
/// Runs wrk (the HTTP load generator, C with an event loop: it costs the server's 2 cores far less than a
/// .NET client would) with a Lua script that sets the method, body and headers, and optionally a unique
/// <c>Idempotency-Key</c> per request.
/// </summary>
internal static class Wrk
{
    private const string ResultPrefix = "wrk-result";

    public static async Task<WrkResult> RunAsync(
        Uri target, string bearer, byte[] body, string? keyPrefix, int threads, int connections, TimeSpan duration, string scriptFolder, CancellationToken cancellationToken)
    {
        var script = Path.Combine(scriptFolder, "publish-" + Guid.NewGuid().ToString("N") + ".lua");
        await File.WriteAllTextAsync(script, Script(bearer, body, keyPrefix), cancellationToken);
        var info = new ProcessStartInfo("wrk")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "-t", threads.ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s",
            "--latency", "-s", script, target.AbsoluteUri,
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start; install it (apt-get install wrk).");
        await using var stop = cancellationToken.Register(() => process.Kill());
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        File.Delete(script);
        var text = await output;
        return Parse(text) ?? throw new InvalidOperationException($"wrk exited with {process.ExitCode} without its result line:\n{text}\n{await errors}");
    }

    /// <summary>Reads the line the script's done() hook writes: exact counts and microseconds, no units to parse.</summary>
    internal static WrkResult? Parse(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix + " ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var fields = line[(ResultPrefix.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('='))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
        return new WrkResult(
            (long)fields["requests"],
            TimeSpan.FromMicroseconds(fields["duration_us"]),
            (long)fields["status"],
            (long)(fields["connect"] + fields["read"] + fields["write"]),
            (long)fields["timeout"],
            fields["p50_us"] / 1000,
            fields["p99_us"] / 1000,
            fields["max_us"] / 1000);
    }

    private static string Script(string bearer, byte[] body, string? keyPrefix)
    {
        var lua = new StringBuilder();
        lua.AppendLine("wrk.method = \"POST\"");
        lua.AppendLine($"wrk.body = '{Encoding.UTF8.GetString(body)}'");
        lua.AppendLine("wrk.headers[\"Content-Type\"] = \"application/json\"");
        lua.AppendLine($"wrk.headers[\"Authorization\"] = \"Bearer {bearer}\"");
        if (keyPrefix is not null)
        {
            // setup() runs once per thread in the main Lua state and hands each thread its index; the key is
            // the run's prefix, the thread's index and the thread's own counter, so no two requests share one.
            lua.AppendLine($$"""
                local threads = 0
                function setup(thread)
                  thread:set("thread_index", threads)
                  threads = threads + 1
                end
                local counter = 0
                function request()
                  counter = counter + 1
                  wrk.headers["Idempotency-Key"] = "{{keyPrefix}}-" .. thread_index .. "-" .. counter
                  return wrk.format()
                end
                """);
        }

        lua.AppendLine($$"""
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("{{ResultPrefix}} requests=%d duration_us=%d status=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d max_us=%d\n",
                summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
                latency:percentile(50), latency:percentile(99), latency.max))
            end
            """);
        return lua.ToString();
    }
}
