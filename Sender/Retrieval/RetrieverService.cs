using Microsoft.Extensions.Options;
using Notify.Sender.Processing;
using Notify.Shared.Queue;

namespace Notify.Sender.Retrieval;

/// <summary>
/// Pulls messages from the queue with up to <see cref="SenderOptions.MaxRetrievers"/> long-polling
/// loops. Each loop takes a permit from an <see cref="AdaptiveConcurrency"/> before it receives, so an
/// idle host keeps one poll open and a busy one polls with more, and holds it until its messages are
/// admitted by the <see cref="MessageProcessor"/>, so a saturated host receives less. On stop, receiving
/// ends at once and the processor drains what is in delivery.
/// </summary>
internal sealed partial class RetrieverService : BackgroundService
{
    private static readonly TimeSpan MaxFailureBackoff = TimeSpan.FromSeconds(30);

    private readonly IMessageQueue _queue;
    private readonly MessageProcessor _processor;
    private readonly SenderOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<RetrieverService> _logger;
    private readonly AdaptiveConcurrency _concurrency;

    public RetrieverService(
        IMessageQueue queue,
        MessageProcessor processor,
        IOptions<SenderOptions> options,
        TimeProvider timeProvider,
        IHostApplicationLifetime lifetime,
        ILogger<RetrieverService> logger)
    {
        _lifetime = lifetime;
        _queue = queue;
        _processor = processor;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _concurrency = new AdaptiveConcurrency(_options.MinRetrievers, _options.MaxRetrievers);
    }

    /// <summary>How many retrievers may poll at once right now.</summary>
    public int Retrievers => _concurrency.Limit;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Receiving stops first (the long polls are cancelled), then what was received is drained.
        await base.StopAsync(cancellationToken);
        await _processor.DrainAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _concurrency.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Nothing is received before the host has started: a delivery's links name this process's own
        // address when Notify:PublicBaseUrl is unset, and the web server knows it only from then on.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        Log.Started(_logger, _options.MinRetrievers, _options.MaxRetrievers, _options.MaxConcurrentDeliveries);
        var loops = new Task[_options.MaxRetrievers];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = RetrieveAsync(stoppingToken);
        }

        await Task.WhenAll(loops);
    }

    private async Task RetrieveAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _concurrency.WaitAsync(stoppingToken);
                try
                {
                    var batch = await _queue.ReceiveAsync(
                        _options.ReceiveBatchSize, _options.VisibilityTimeout, _options.WaitTime, stoppingToken);
                    failures = 0;
                    Adapt(batch.Count);
                    await AdmitAsync(batch, stoppingToken);
                }
                finally
                {
                    _concurrency.Release();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A queue that fails fast must not be polled in a hot loop.
                failures++;
                var backoff = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(failures - 1, 10)), MaxFailureBackoff.TotalSeconds));
                Log.ReceiveFailed(_logger, ex, failures, backoff);
                try
                {
                    await Task.Delay(backoff, _timeProvider, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Adapt(int received)
    {
        if (received >= _options.ReceiveBatchSize)
        {
            if (_concurrency.Grow())
            {
                Log.Grew(_logger, _concurrency.Limit);
            }
        }
        else if (received == 0 && _concurrency.Shrink())
        {
            Log.Shrank(_logger, _concurrency.Limit);
        }
    }

    private Task AdmitAsync(IReadOnlyList<ReceivedMessage> batch, CancellationToken stoppingToken)
    {
        if (batch.Count == 0)
        {
            return Task.CompletedTask;
        }

        var admissions = new Task[batch.Count];
        for (var i = 0; i < admissions.Length; i++)
        {
            admissions[i] = _processor.AdmitAsync(batch[i], stoppingToken);
        }

        return Task.WhenAll(admissions);
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information,
            "Sender started: {MinRetrievers} to {MaxRetrievers} retrievers, up to {MaxDeliveries} concurrent deliveries",
            EventName = "SenderStarted")]
        public static partial void Started(ILogger logger, int minRetrievers, int maxRetrievers, int maxDeliveries);

        [LoggerMessage(101, LogLevel.Error,
            "Receiving from the queue failed ({Failures} in a row); retrying in {Backoff}",
            EventName = "ReceiveFailed")]
        public static partial void ReceiveFailed(ILogger logger, Exception exception, int failures, TimeSpan backoff);

        [LoggerMessage(102, LogLevel.Debug, "A full batch: up to {Retrievers} retrievers now poll at once", EventName = "RetrieversGrew")]
        public static partial void Grew(ILogger logger, int retrievers);

        [LoggerMessage(103, LogLevel.Debug, "An empty receive: up to {Retrievers} retrievers now poll at once", EventName = "RetrieversShrank")]
        public static partial void Shrank(ILogger logger, int retrievers);
    }
}
