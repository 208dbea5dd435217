using Xunit;

namespace Notify.TestServers;

/// <summary>Three Redis nodes: the cache ring of the Aws-mode tests.</summary>
public sealed class RedisRing : IAsyncLifetime
{
    public IReadOnlyList<RedisServer> Nodes { get; } = [new(), new(), new()];

    /// <summary>The <c>Notify:Redis:Nodes</c> value for these nodes.</summary>
    public string NodesSetting => string.Join(',', Nodes.Select(node => node.EndPoint));

    public Task InitializeAsync() => StartAll.OrStopAsync(Nodes.Select(node => node.InitializeAsync()), DisposeAsync);

    public Task DisposeAsync() => Task.WhenAll(Nodes.Select(node => node.DisposeAsync()));
}
