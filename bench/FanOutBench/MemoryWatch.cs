namespace Notify.Bench.FanOut;

/// <summary>
/// The memory of another process from <c>/proc/{pid}/status</c>: VmRSS sampled every 100 ms (the highest
/// kept), and VmHWM, the kernel's own peak resident set since the process started.
/// </summary>
internal sealed class MemoryWatch : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _maxRssKiB;

    public MemoryWatch(int pid)
    {
        _pid = pid;
        _sampling = SampleAsync();
    }

    public long MaxSampledRssKiB => Interlocked.Read(ref _maxRssKiB);

    /// <summary>VmHWM now, in KiB; 0 when the process is gone.</summary>
    public long PeakKiB() => Read("VmHWM:");

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            var rss = Read("VmRSS:");
            if (rss > _maxRssKiB)
            {
                Interlocked.Exchange(ref _maxRssKiB, rss);
            }
        }
        while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }

    private long Read(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    // "VmHWM:	  123456 kB"
                    return long.Parse(line.AsSpan(field.Length).Trim().ToString().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
