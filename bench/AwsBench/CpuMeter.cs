using System.Globalization;

namespace Notify.Bench.Aws;

/// <summary>
/// CPU time of every process of the deployment (Frontends, Senders, the emulators, this program), read
/// before and after a measured window, so each figure can say which process bound it.
/// </summary>
internal sealed class CpuMeter
{
    private readonly List<(string Name, Func<TimeSpan> Read)> _processes = [];

    public void Add(string name, Func<TimeSpan> read) => _processes.Add((name, read));

    /// <summary>A server started on <paramref name="port"/> by a lifeline script: the process (not the script) whose command line names that port.</summary>
    public void AddByPort(string name, int port)
    {
        var pid = FindByPort(port) ?? throw new InvalidOperationException($"No process found for {name} on port {port}.");
        Add(name, () => ProcTime(pid));
    }

    public IReadOnlyList<(string Name, TimeSpan Cpu)> Read() => [.. _processes.Select(p => (p.Name, p.Read()))];

    /// <summary>Cores each process used between two readings <paramref name="seconds"/> apart.</summary>
    public static IReadOnlyList<(string Name, double Cores)> Cores(IReadOnlyList<(string Name, TimeSpan Cpu)> before, IReadOnlyList<(string Name, TimeSpan Cpu)> after, double seconds) =>
        [.. before.Zip(after, (b, a) => (b.Name, (a.Cpu - b.Cpu).TotalSeconds / seconds))];

    /// <summary>Each process's cores, busiest first, and the CPU it spent per item (publish, delivery) over <paramref name="seconds"/>.</summary>
    public static string Describe(IReadOnlyList<(string Name, double Cores)> cores, double seconds, long items, string item) =>
        string.Join(", ", cores.OrderByDescending(c => c.Cores).Select(c => string.Create(
            CultureInfo.InvariantCulture,
            $"{c.Name} {c.Cores:F2} ({(items > 0 ? c.Cores * seconds / items * 1e6 : double.NaN):N0} µs per {item})")));

    private static int? FindByPort(int port)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var comm = File.ReadAllText(Path.Combine(directory, "comm")).Trim();
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0', ' ');
                // redis-server rewrites its command line to "redis-server 127.0.0.1:PORT".
                if (comm != "bash" && arguments.Any(a => a == text || a.EndsWith(":" + text, StringComparison.Ordinal)))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
    private static TimeSpan ProcTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }
}
