using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Shared.Redis;
using Notify.TestServers;
using StackExchange.Redis;

namespace Notify.Tests.Support;

/// <summary>
/// Looks at the ring's Redis nodes behind Notify's back, each call over a fresh connection (so a node
/// restarted a moment ago is seen as it is now), and builds pools over them for the tests.
/// </summary>
internal static class DirectRedis
{
    /// <summary>A pool over <paramref name="ring"/> that probes down nodes every 100 ms, so tests wait little.</summary>
    public static RedisNodePool Pool(RedisRing ring, ILogger<RedisNodePool>? logger = null, RedisOptions? settings = null) =>
        new(Options.Create(settings ?? Settings(ring)), TimeProvider.System, logger ?? NullLogger<RedisNodePool>.Instance);

    /// <summary>
    /// Settings with timeouts long enough for a test machine whose two cores are busy: the production
    /// defaults (500 ms connect, 250 ms per command) would at times count a live but slow node as down,
    /// and a test about where entries live would then find none. A dead node still fails at once (its
    /// connection is refused); tests about a node too slow to answer use <see cref="ProductionTimeouts"/>.
    /// </summary>
    public static RedisOptions Settings(RedisRing ring) => Settings(ring.NodesSetting);

    /// <inheritdoc cref="Settings(RedisRing)"/>
    public static RedisOptions Settings(string nodes) => new()
    {
        Nodes = nodes,
        ProbeInterval = TimeSpan.FromMilliseconds(100),
        // A command stalled 2 s behind other processes' builds was seen on this machine (load 25 on
        // 2 cores); 10 s keeps a live node live under any load the test runs meet.
        ConnectTimeout = TimeSpan.FromSeconds(10),
        OperationTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Settings with the default connect and command timeouts, for tests about a stalled node.</summary>
    public static RedisOptions ProductionTimeouts(RedisRing ring) => new() { Nodes = ring.NodesSetting, ProbeInterval = TimeSpan.FromMilliseconds(100) };

    public static async Task<T> OnNodeAsync<T>(string endPoint, Func<IDatabase, Task<T>> command)
    {
        var connection = await ConnectAsync(endPoint);
        try
        {
            return await command(connection.GetDatabase());
        }
        finally
        {
            Close(connection);
        }
    }

    /// <summary>Empties every node: each test starts from a clean ring.</summary>
    public static async Task FlushAsync(RedisRing ring)
    {
        foreach (var node in ring.Nodes)
        {
            var connection = await ConnectAsync(node.EndPoint);
            try
            {
                await connection.GetServer(connection.GetEndPoints()[0]).FlushAllDatabasesAsync();
            }
            finally
            {
                Close(connection);
            }
        }
    }

    /// <summary>The end points of the nodes that hold <paramref name="key"/>.</summary>
    public static async Task<string[]> NodesHoldingAsync(RedisRing ring, string key)
    {
        var holding = new List<string>();
        foreach (var node in ring.Nodes.Where(node => node.IsRunning))
        {
            if (await OnNodeAsync(node.EndPoint, database => database.KeyExistsAsync(key)))
            {
                holding.Add(node.EndPoint);
            }
        }

        return [.. holding];
    }

    /// <summary>Stops the node answering any client for a while, as a stalled process would, keeping its data.</summary>
    public static async Task PauseAsync(string endPoint, TimeSpan duration)
    {
        var connection = await ConnectAsync(endPoint);
        await connection.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", (long)duration.TotalMilliseconds, "ALL");
        Close(connection);
    }

    /// <summary>A key that <paramref name="pool"/> places on <paramref name="endPoint"/>.</summary>
    public static string KeyOn(RedisNodePool pool, string endPoint, string prefix) =>
        Enumerable.Range(0, 10_000).Select(i => $"{prefix}{i}").First(key => pool.Owner(key).Name == endPoint);

    /// <summary>Restarts the nodes a test killed, so the next test of the class finds the ring whole.</summary>
    public static async Task RestartKilledAsync(RedisRing ring)
    {
        foreach (var node in ring.Nodes.Where(node => !node.IsRunning))
        {
            await node.StartAsync();
        }
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(string endPoint) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { endPoint }, AllowAdmin = true });

    /// <summary>Without waiting for replies still due: Dispose alone waits about a second for them.</summary>
    private static void Close(ConnectionMultiplexer connection)
    {
        connection.Close(allowCommandsToComplete: false);
        connection.Dispose();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails after 15 s rather than hang.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new TimeoutException($"Still waiting after 15 s for: {what}");
            }

            await Task.Delay(20);
        }
    }
}
