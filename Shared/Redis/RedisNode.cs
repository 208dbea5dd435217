using System.Net;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Notify.Shared.Redis;

/// <summary>
/// One ring node as this process sees it: one multiplexed connection, kept for the node's lifetime (the
/// library reconnects it in the background), and whether to use it. The node is marked down at once when
/// the library reports its connection lost (<see cref="ConnectionMultiplexer.ConnectionFailed"/>) or a
/// command fails or outlives <see cref="RedisOptions.OperationTimeout"/>, so the calls after it skip the
/// node without waiting (its keys become misses). <see cref="ProbeAsync"/> re-admits it once it answers:
/// as soon as the library reports the connection restored, and on the pool's probe interval for a node
/// marked down by a slow command, whose connection never dropped. Nothing here throws to callers except
/// their own cancellation.
/// </summary>
public sealed partial class RedisNode : IDisposable
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LibraryHeartbeat = TimeSpan.FromSeconds(1);

    private readonly RedisOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly LogThrottle _downWarnings;
    private readonly Lock _gate = new();
    private readonly Task _firstConnection;
    private ConnectionMultiplexer? _connection;
    private IDatabase? _database;
    private volatile NodeState _state = NodeState.Connecting;
    private bool _disposed;
    private int _probing;

    // Whether the node may hold entries this process meant to remove, and a count of the events that
    // could have left them: a failed command (it may or may not have run) or a removal skipped while the
    // node was down. See ProbeAsync for why both exist.
    private bool _needsFlush;
    private long _missedRemovals;

    public RedisNode(RedisNodeAddress address, RedisOptions options, TimeProvider clock, ILogger logger)
    {
        Address = address;
        _options = options;
        _clock = clock;
        _logger = logger;
        _downWarnings = new LogThrottle(clock, WarningInterval);
        _firstConnection = ConnectFirstAsync();
    }

    public RedisNodeAddress Address { get; }

    public string Name => Address.Name;

    public NodeState State => _state;

    /// <summary>Up, or still connecting for the first time (a call waits for that, briefly).</summary>
    public bool IsUsable => _state != NodeState.Down;

    /// <summary>
    /// Runs one command on the node within the operation timeout. A node that is down, or that fails or
    /// times out now, gives <see cref="NodeResult{T}.Unavailable"/>, and in the second case is marked down.
    /// </summary>
    /// <param name="argument">Passed to <paramref name="command"/>, so a static lambda allocates no closure.</param>
    public async ValueTask<NodeResult<T>> RunAsync<TArgument, T>(
        TArgument argument, Func<IDatabase, TArgument, Task<T>> command, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken);
        if (database is null)
        {
            return NodeResult<T>.Unavailable;
        }

        Task<T>? pending = null;
        try
        {
            pending = command(database, argument);
            return new NodeResult<T>(true, await pending.WaitAsync(_options.OperationTimeout, _clock, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Observe(pending);
            throw;
        }
        catch (Exception exception)
        {
            Observe(pending);
            MarkDown(exception.GetType().Name, exception);
            return NodeResult<T>.Unavailable;
        }
    }

    /// <summary>
    /// Records that a removal (cache invalidation, dedup release) meant for this node did not reach it, so
    /// the node is flushed before this process uses it again.
    /// </summary>
    public void NoteMissedRemoval()
    {
        lock (_gate)
        {
            _needsFlush = true;
            _missedRemovals++;
        }
    }

    /// <summary>Stops using the node at once: its keys are misses until a probe re-admits it.</summary>
    /// <param name="failure">What happened, for the log: an exception's type or the library's failure type.</param>
    public void MarkDown(string failure, Exception? reason)
    {
        bool wasInUse;
        lock (_gate)
        {
            // No flush for this alone: a slow GET or SET loses nothing, and flushing on every blip would
            // also wipe the dedup claims every Frontend keeps there. Removals that fail say so themselves
            // (NoteMissedRemoval), and only they make the node stale.
            wasInUse = !_disposed && _state != NodeState.Down;
            _state = NodeState.Down;
        }

        if (wasInUse && _downWarnings.TryEnter(out var suppressed))
        {
            Log.MarkedDown(_logger, Name, failure, suppressed, reason);
        }
    }

    /// <summary>
    /// Re-admits a node that is down once it answers a PING, flushing it first when it may hold entries this
    /// process meant to remove. One probe at a time: the library's ConnectionRestored and the pool's timer
    /// may both start one.
    /// </summary>
    /// <remarks>
    /// Why FLUSHDB: while a node is down here, this process skips its removals (there is nothing to delete
    /// on a node it cannot reach), and a node that merely looked down (a timeout, a partition) kept its
    /// entries, so after re-admission it could serve topics and subscriber lists that the database changed
    /// meanwhile, for up to the TTL; a dedup claim whose release was lost would even answer a retry of a
    /// publish that was never accepted as a "duplicate", losing it. Emptying the node costs only cache
    /// misses (and, for dedup, a repeat that straddles the outage may be delivered twice: at-least-once).
    /// A node restarted without persistence is empty anyway. The check of <c>_missedRemovals</c> keeps a
    /// removal skipped during the flush from being forgotten: the node then stays down until the next probe.
    /// </remarks>
    public async Task ProbeAsync()
    {
        if (_state != NodeState.Down || Interlocked.Exchange(ref _probing, 1) == 1)
        {
            return;
        }

        try
        {
            await ProbeOnceAsync();
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    public void Dispose()
    {
        ConnectionMultiplexer? connection;
        lock (_gate)
        {
            _disposed = true;
            _state = NodeState.Down;
            connection = _connection;
        }

        Close(connection);
    }

    private async Task ProbeOnceAsync()
    {
        // Without a connection there is nothing to ask: the library keeps reconnecting and raises
        // ConnectionRestored when it succeeds, which probes at once.
        var connection = Volatile.Read(ref _connection) ?? await ConnectAsync();
        if (connection is not { IsConnected: true })
        {
            return;
        }

        bool flush;
        long missedBefore;
        lock (_gate)
        {
            flush = _needsFlush;
            missedBefore = _missedRemovals;
        }

        Task? pending = null;
        try
        {
            pending = connection.GetDatabase().PingAsync();
            await pending.WaitAsync(_options.ConnectTimeout, _clock);
            if (flush)
            {
                pending = connection.GetServer(connection.GetEndPoints()[0]).FlushDatabaseAsync();
                await pending.WaitAsync(_options.ConnectTimeout, _clock);
            }
        }
        catch (Exception exception)
        {
            Observe(pending);
            Log.ProbeFailed(_logger, Name, exception.GetType().Name);
            return;
        }

        lock (_gate)
        {
            if (_disposed || _state != NodeState.Down || _missedRemovals != missedBefore)
            {
                return;
            }

            _needsFlush = false;
            _database = connection.GetDatabase();
            _state = NodeState.Up;
        }

        Log.Admitted(_logger, Name, flush);
    }

    /// <summary>
    /// Closes without waiting for replies still due: a plain Dispose of this client waits for them, per
    /// connection, and a ring being shut down has nothing left to wait for.
    /// </summary>
    private static void Close(ConnectionMultiplexer? connection)
    {
        connection?.Close(allowCommandsToComplete: false);
        connection?.Dispose();
    }

    private async ValueTask<IDatabase?> DatabaseAsync(CancellationToken cancellationToken)
    {
        switch (_state)
        {
            case NodeState.Up:
                return _database;
            case NodeState.Down:
                return null;
        }

        try
        {
            // The library bounds the attempt by ConnectTimeout; this bound only guards against a hang.
            await _firstConnection.WaitAsync(_options.ConnectTimeout * 2, _clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }

        return _state == NodeState.Up ? _database : null;
    }

    private async Task ConnectFirstAsync()
    {
        // Off the constructor's thread: building the pool must not wait for the network.
        await Task.Yield();
        var connection = await ConnectAsync();
        lock (_gate)
        {
            // The library may already have reported the connection lost (marked down).
            if (_state != NodeState.Connecting)
            {
                return;
            }

            // A removal skipped while callers gave up waiting for this connection leaves the node to the
            // probe, which flushes it first.
            if (connection is { IsConnected: true } && !_needsFlush)
            {
                _database = connection.GetDatabase();
                _state = NodeState.Up;
                return;
            }

            // Unreachable at start: nothing was missed yet, so no flush unless a removal is skipped later.
            // The library goes on connecting in the background; ConnectionRestored re-admits the node.
            _state = NodeState.Down;
        }

        Log.NotReachable(_logger, Name);
    }

    /// <summary>
    /// Creates the node's one connection. With <see cref="ConfigurationOptions.AbortOnConnectFail"/> off the
    /// library hands it back even when the node does not answer yet, and keeps reconnecting it for the
    /// node's lifetime; only a failure to create it at all (null here) is retried, by the next probe.
    /// </summary>
    private async Task<ConnectionMultiplexer?> ConnectAsync()
    {
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(Configuration());
        }
        catch (Exception exception)
        {
            Log.ConnectFailed(_logger, Name, exception);
            return null;
        }

        lock (_gate)
        {
            if (!_disposed && _connection is null)
            {
                _connection = connection;
                connection.ConnectionFailed += OnConnectionFailed;
                connection.ConnectionRestored += OnConnectionRestored;
                return connection;
            }
        }

        Close(connection);
        return Volatile.Read(ref _connection);
    }

    private ConfigurationOptions Configuration()
    {
        var configuration = new ConfigurationOptions
        {
            ConnectTimeout = Milliseconds(_options.ConnectTimeout),
            // The library looks for timed-out commands once per heartbeat, too coarse for a budget of a few
            // hundred milliseconds: RunAsync bounds every command itself, and this lets the library drop
            // what RunAsync gave up on.
            AsyncTimeout = Milliseconds(_options.OperationTimeout),
            // Keep the connection object when the node is not there (yet): the library reconnects it in the
            // background and raises ConnectionRestored.
            AbortOnConnectFail = false,
            ConnectRetry = 1,
            // A command for a node without a connection fails at once (a miss, or the next node for a dedup
            // claim) instead of waiting in the library's backlog for a reconnect.
            BacklogPolicy = BacklogPolicy.FailFast,
            // Reconnects run on the library's heartbeat: every probe interval (at most the default second)
            // and without the default's growing back-off, so a restarted node is used again within about
            // a probe interval.
            ReconnectRetryPolicy = new LinearRetry(Milliseconds(_options.ProbeInterval)),
            HeartbeatInterval = _options.ProbeInterval < LibraryHeartbeat ? _options.ProbeInterval : LibraryHeartbeat,
            // For FLUSHDB on re-admission; the nodes are Notify's own.
            AllowAdmin = true,
            ClientName = "notify",
            Password = _options.Password,
            Ssl = _options.Ssl,
        };
        if (IPAddress.TryParse(Address.Host, out var ip))
        {
            configuration.EndPoints.Add(ip, Address.Port);
        }
        else
        {
            configuration.EndPoints.Add(Address.Host, Address.Port);
        }

        return configuration;
    }

    // Only the connection commands use: the library's separate pub/sub connection carries nothing of the ring's.
    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            MarkDown(e.FailureType.ToString(), e.Exception);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            _ = ProbeAsync();
        }
    }

    private static int Milliseconds(TimeSpan span) => (int)Math.Ceiling(span.TotalMilliseconds);

    /// <summary>A command abandoned on timeout may fault later; observe it so it is not reported as unobserved.</summary>
    private static void Observe(Task? task) =>
        task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Redis node {Node} marked down after {Failure}; its keys are cache misses, and dedup claims go to the next node, until it answers again ({Suppressed} more such warnings suppressed)", EventName = "RedisNodeDown")]
        public static partial void MarkedDown(ILogger logger, string node, string failure, int suppressed, Exception? exception);

        [LoggerMessage(2, LogLevel.Information, "Redis node {Node} answers again and is back in use (flushed first: {Flushed})", EventName = "RedisNodeUp")]
        public static partial void Admitted(ILogger logger, string node, bool flushed);

        [LoggerMessage(3, LogLevel.Warning, "Redis node {Node} did not answer at start; its keys are cache misses, and dedup claims go to the next node, until it does", EventName = "RedisNodeUnreachable")]
        public static partial void NotReachable(ILogger logger, string node);

        [LoggerMessage(4, LogLevel.Debug, "Redis node {Node} still does not answer ({Failure})", EventName = "RedisNodeProbeFailed")]
        public static partial void ProbeFailed(ILogger logger, string node, string failure);

        [LoggerMessage(5, LogLevel.Warning, "Could not create a connection to Redis node {Node}", EventName = "RedisNodeConnectFailed")]
        public static partial void ConnectFailed(ILogger logger, string node, Exception exception);
    }
}
