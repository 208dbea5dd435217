using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Notify.Shared.Redis;

/// <summary>
/// The ring's nodes as this process sees them: one connection each, the hash ring that maps keys to
/// them, and the probe that brings nodes marked down back. One per process, shared by the metadata cache
/// and the Frontend's dedup store, so each node has one connection and one probe.
/// </summary>
public sealed class RedisNodePool : IDisposable
{
    private readonly HashRing<RedisNode> _ring;
    private readonly ITimer _probe;
    private int _probing;

    public RedisNodePool(IOptions<RedisOptions> options, TimeProvider clock, ILogger<RedisNodePool> logger)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            throw new InvalidOperationException($"{RedisOptions.SectionName}:{nameof(RedisOptions.Nodes)} is not set: there is no Redis tier to connect to.");
        }

        if (!RedisNodeAddress.TryParseList(settings.Nodes!, out var addresses, out var error))
        {
            throw new InvalidOperationException($"{RedisOptions.SectionName}:{nameof(RedisOptions.Nodes)}: {error}");
        }

        Nodes = [.. addresses.Select(address => new RedisNode(address, settings, clock, logger))];
        _ring = new HashRing<RedisNode>(Nodes, static node => node.Name, settings.VirtualNodes);
        _probe = clock.CreateTimer(static pool => ((RedisNodePool)pool!).ProbeInBackground(), this, settings.ProbeInterval, settings.ProbeInterval);
    }

    public IReadOnlyList<RedisNode> Nodes { get; }

    /// <summary>The node that owns <paramref name="key"/>, whether or not it is up.</summary>
    public RedisNode Owner(string key) => _ring.Owner(key)!;

    /// <summary>The owner if usable, else the next usable node clockwise; null when none is.</summary>
    public RedisNode? FirstUsable(string key) => _ring.Owner(key, static node => node.IsUsable);

    /// <summary>Every node once, owner first, in the order their keys fall over.</summary>
    public IReadOnlyList<RedisNode> Preference(string key) => _ring.Preference(key);

    public void Dispose()
    {
        _probe.Dispose();
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
    }

    private void ProbeInBackground()
    {
        // A slow probe (every node down, each waiting its connect timeout) must not pile up behind itself.
        if (Interlocked.Exchange(ref _probing, 1) == 0)
        {
            _ = ProbeDownNodesAsync();
        }
    }

    private async Task ProbeDownNodesAsync()
    {
        try
        {
            await Task.WhenAll(Nodes.Where(node => node.State == NodeState.Down).Select(node => node.ProbeAsync()));
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }
}
