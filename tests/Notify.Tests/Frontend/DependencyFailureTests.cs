using Amazon.Runtime;
using Microsoft.Data.Sqlite;
using Notify.Frontend.Errors;
using Notify.Shared.Queue.Sqs;

namespace Notify.Tests.Frontend;

/// <summary>Which failures are outages of what Notify stands on (answered 503) and which are not (500).</summary>
public sealed class DependencyFailureTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new AmazonServiceException("ProvisionedThroughputExceededException"), true },
        { new SqsException("SendMessageBatch", System.Net.HttpStatusCode.ServiceUnavailable, new SqsError("ServiceUnavailable", "try later", false, null)), true },
        { new SqsBatchEntryException("SendMessageBatch", [new SqsBatchEntryFailure("a", "InternalError", "failed", SenderFault: false)]), true },
        { new SqsBatchEntryException("SendMessageBatch", [new SqsBatchEntryFailure("a", "InvalidMessageContents", "bad", SenderFault: true)]), false },
        { new AmazonClientException("Unable to connect"), true },
        { new HttpRequestException("Connection refused"), true },
        { new TaskCanceledException("timeout", new TimeoutException()), true },
        { new SqliteException("database or disk is full", 13), true },
        { new SqliteException("attempt to write a readonly database", 8), true },
        { new SqliteException("constraint failed", 19), false },
        { new InvalidOperationException("a defect"), false },
        { new TaskCanceledException("cancelled"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Classifies(Exception exception, bool isDependencyFailure)
    {
        Assert.Equal(isDependencyFailure, DependencyFailure.TryName(exception, out var dependency));
        Assert.Equal(isDependencyFailure, dependency.Length > 0);
    }
}
