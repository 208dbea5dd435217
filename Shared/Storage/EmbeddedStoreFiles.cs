namespace Notify.Shared.Storage;

/// <summary>The files of the embedded store in <c>Notify:DataDirectory</c> that a Sender reads.</summary>
public static class EmbeddedStoreFiles
{
    /// <summary>The queue between Frontend and Sender.</summary>
    public const string Queue = "queue.db";

    /// <summary>Topics and subscriptions.</summary>
    public const string Metadata = "metadata.db";

    /// <summary>Dead letters, scheduled retries, message outcomes and delivery stats (created on first use).</summary>
    public const string Deliveries = "deliveries.db";

    /// <summary>True when <paramref name="directory"/> holds a Notify store: both files a Sender needs exist.</summary>
    public static bool ExistIn(string directory) =>
        File.Exists(Path.Combine(directory, Queue)) && File.Exists(Path.Combine(directory, Metadata));
}
