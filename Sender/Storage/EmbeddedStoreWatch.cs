using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;
using Notify.Shared.Storage;

namespace Notify.Sender.Storage;

/// <summary>
/// A standalone Sender in Embedded mode reads the store a Frontend creates in <c>Notify:DataDirectory</c>.
/// When the folder holds none, the Sender says so at start, naming the folder and the setting, and looks
/// again every <see cref="PollInterval"/> without creating anything; once the Frontend has created the
/// store, the Sender becomes ready and starts receiving.
/// </summary>
internal sealed partial class EmbeddedStoreWatch(
    StoreAvailability store,
    IOptions<NotifyOptions> options,
    TimeProvider timeProvider,
    ILogger<EmbeddedStoreWatch> logger) : BackgroundService
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var directory = options.Value.DataDirectory;
        if (EmbeddedStoreFiles.ExistIn(directory))
        {
            store.MarkAvailable();
            return;
        }

        Log.NoStore(logger, directory, EmbeddedStoreFiles.Queue, EmbeddedStoreFiles.Metadata);
        try
        {
            while (!EmbeddedStoreFiles.ExistIn(directory))
            {
                await Task.Delay(PollInterval, timeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // Ready before it is said, so whoever reads the line finds the Sender ready.
        store.MarkAvailable();
        Log.StoreFound(logger, directory);
    }

    private static partial class Log
    {
        [LoggerMessage(500, LogLevel.Warning,
            "No Notify store in {Directory} ({QueueFile} and {MetadataFile} are missing), so this Sender has nothing to deliver. " +
            "It creates no store of its own and waits until a Frontend creates one there: start the Frontend first, " +
            "or point both at the same directory with Notify:DataDirectory",
            EventName = "NoStore")]
        public static partial void NoStore(ILogger logger, string directory, string queueFile, string metadataFile);

        [LoggerMessage(501, LogLevel.Information, "Found the Notify store in {Directory}; the Sender starts receiving", EventName = "StoreFound")]
        public static partial void StoreFound(ILogger logger, string directory);
    }
}
