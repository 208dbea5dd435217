using Amazon.Runtime;
using Microsoft.Data.Sqlite;
using Notify.Shared.Queue.Sqs;

namespace Notify.Frontend.Errors;

/// <summary>
/// Recognises failures of what Notify stands on (SQS, DynamoDB, the embedded store's files) that
/// survived their clients' own retries: outages, throttling, a full or read-only disk; nothing the caller
/// sent. They are answered 503 with Retry-After, so callers and load balancers back off and retry
/// instead of treating them as bugs.
/// </summary>
internal static class DependencyFailure
{
    // SQLITE_BUSY, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN: the disk, not the data.
    private static readonly HashSet<int> StorageErrors = [5, 8, 10, 13, 14];

    public static bool TryName(Exception exception, out string dependency)
    {
        dependency = exception switch
        {
            SqsException => "the message queue (SQS)",
            SqsBatchEntryException entries when entries.Failures.All(f => !f.SenderFault) => "the message queue (SQS)",
            AmazonServiceException or AmazonClientException => "the metadata database (DynamoDB)",
            SqliteException sqlite when StorageErrors.Contains(sqlite.SqliteErrorCode) => "its data files (is the disk full or read-only?)",

            // Only the SQS and DynamoDB clients make network calls on a request's path; both have retried.
            HttpRequestException or TimeoutException or TaskCanceledException { InnerException: TimeoutException } => "a service it depends on (SQS or DynamoDB)",
            _ => "",
        };
        return dependency.Length > 0;
    }
}
