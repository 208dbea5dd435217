namespace Notify.Shared.Configuration;

/// <summary>Which engines Notify runs on.</summary>
public enum NotifyMode
{
    /// <summary>One process, SQLite files under <see cref="NotifyOptions.DataDirectory"/>, an in-process cache.</summary>
    Embedded,

    /// <summary>DynamoDB for metadata, SQS for the queue, a ring of Redis nodes as the cache.</summary>
    Aws,
}
