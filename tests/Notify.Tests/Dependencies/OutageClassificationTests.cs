using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Data.Sqlite;
using Notify.Shared.Dependencies;

namespace Notify.Tests.Dependencies;

/// <summary>Which client exceptions are outages of what Notify stands on, and which are answers or defects.</summary>
public sealed class OutageClassificationTests
{
    public static TheoryData<Exception, bool> AwsFailures => new()
    {
        { new AmazonServiceException("try later", ErrorType.Receiver, "ServiceUnavailable", "r", HttpStatusCode.ServiceUnavailable), true },
        { new ProvisionedThroughputExceededException("slow down") { StatusCode = HttpStatusCode.BadRequest, ErrorCode = "ProvisionedThroughputExceededException" }, true },
        { new AmazonServiceException("denied", ErrorType.Sender, "AccessDeniedException", "r", HttpStatusCode.BadRequest), true },
        { new AmazonClientException("Unable to connect"), true },
        { new HttpRequestException("Connection refused"), true },
        { new TaskCanceledException("timeout", new TimeoutException()), true },
        { new ConditionalCheckFailedException("exists") { StatusCode = HttpStatusCode.BadRequest, ErrorCode = "ConditionalCheckFailedException" }, false },
        { new AmazonServiceException("bad", ErrorType.Sender, "ValidationException", "r", HttpStatusCode.BadRequest), false },
        { new InvalidOperationException("a defect"), false },
    };

    public static TheoryData<Exception, bool> SqliteFailures => new()
    {
        { new SqliteException("database or disk is full", 13), true },
        { new SqliteException("attempt to write a readonly database", 8), true },
        { new SqliteException("unable to open database file", 14), true },
        { new SqliteException("constraint failed", 19), false },
        { new InvalidOperationException("a defect"), false },
    };

    [Theory]
    [MemberData(nameof(AwsFailures))]
    public void Aws(Exception exception, bool isOutage) => Assert.Equal(isOutage, AwsOutage.IsOutage(exception, CancellationToken.None));

    [Theory]
    [MemberData(nameof(SqliteFailures))]
    public void Sqlite(Exception exception, bool isOutage) => Assert.Equal(isOutage, SqliteOutage.IsOutage(exception, CancellationToken.None));

    [Fact]
    public void ACancellationTheCallerAskedFor_IsNotAnOutage()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(AwsOutage.IsOutage(new TaskCanceledException("cancelled"), cancelled.Token));
    }
}
