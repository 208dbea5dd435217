using Notify.Shared.Storage;

namespace Notify.Sender.Retrieval;

/// <summary>
/// Starts the <see cref="RetrieverService"/> once the store exists. The retrievers, and the queue and
/// metadata store they hold, are built only then: opening the embedded queue would create its file, and a
/// standalone Sender never creates a store of its own (it would poll an empty one while the Frontend
/// writes elsewhere). Where the store is there from the start, this starts them at once.
/// </summary>
internal sealed class RetrieverStartup(StoreAvailability store, IServiceProvider services) : BackgroundService
{
    private RetrieverService? _retrievers;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var retrievers = services.GetRequiredService<RetrieverService>();
        await retrievers.StartAsync(CancellationToken.None);
        Volatile.Write(ref _retrievers, retrievers);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The wait for the store ends first; then receiving stops and what was received is drained.
        await base.StopAsync(cancellationToken);
        if (Volatile.Read(ref _retrievers) is { } retrievers)
        {
            await retrievers.StopAsync(cancellationToken);
        }
    }
}
