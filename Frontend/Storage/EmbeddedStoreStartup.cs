using Notify.Metadata.Store;
using Notify.Shared.Queue;

namespace Notify.Frontend.Storage;

/// <summary>
/// In Embedded mode the Frontend owns the store: it creates <c>metadata.db</c> and <c>queue.db</c> as it
/// starts, not at its first call, so a standalone Sender on the same data directory finds them at once,
/// and a data directory that cannot be written stops the start instead of failing the first publish.
/// </summary>
internal sealed class EmbeddedStoreStartup(IMetadataStore metadata, IMessageQueue queue) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await metadata.ListTopicsAsync(1, null, cancellationToken);
        await queue.GetDepthAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
