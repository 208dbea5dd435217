using System.Globalization;
using System.Net;
using Notify.Shared.Queue.Sqs;
using Notify.Tests.Queue.Sqs.Support;
using static Notify.Tests.Queue.Sqs.Support.ScriptedSqsServer;

namespace Notify.Tests.Queue.Sqs;

/// <summary>
/// What goes over the wire and what comes back when SQS throttles or fails: against a real HTTP server
/// that answers as SQS does (the local SQS server never throttles).
/// </summary>
public sealed class SqsClientRetryTests
{
    [Fact]
    public async Task Request_WhenSqsThrottlesAndFails_IsRetriedUntilItSucceeds()
    {
        await using var server = await StartAsync(
            Reply.Error(400, "ThrottlingException", "Rate exceeded"),
            Reply.Error(503, "ServiceUnavailable", "Please try again", type: "Receiver"),
            Reply.Error(403, "RequestThrottled", "Request is throttled"),
            new Reply(502, "<html><body>Bad Gateway</body></html>"));

        var url = await SqsTestClient.Create(server.ServiceUrl).GetQueueUrlAsync("notify-messages", CancellationToken.None);

        Assert.Equal(server.QueueUrl(), url);
        Assert.Equal(5, server.Requests.Count);
    }

    [Theory]
    [InlineData(400, "InvalidParameterValue")]
    [InlineData(403, "AccessDenied")]
    [InlineData(400, "AWS.SimpleQueueService.NonExistentQueue")]
    public async Task Request_WithAnErrorThatRetryingCannotFix_ThrowsAfterOneAttempt(int status, string code)
    {
        await using var server = await StartAsync(Reply.Error(status, code, "Value x for parameter QueueName is invalid."));

        var error = await Assert.ThrowsAnyAsync<SqsException>(
            () => SqsTestClient.Create(server.ServiceUrl).GetQueueUrlAsync("notify-messages", CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.True(error.Error.SenderFault);
        Assert.False(error.IsTransient);
        Assert.Contains("GetQueueUrl", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Request_WhenThrottlingOutlastsTheRetries_ThrowsTheLastThrottlingError()
    {
        await using var server = await StartAsync(Enumerable.Repeat(Reply.Error(400, "ThrottlingException", "Rate exceeded"), 5).ToArray());

        var error = await Assert.ThrowsAsync<SqsException>(
            () => SqsTestClient.Create(server.ServiceUrl, maxRetryAttempts: 2).GetQueueUrlAsync("notify-messages", CancellationToken.None));

        Assert.Equal("ThrottlingException", error.Code);
        Assert.True(error.IsTransient);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Request_WhenTheServerCannotBeReached_IsRetriedThenThrowsTheConnectionError()
    {
        // A port that was free a moment ago: nothing listens, so every connection is refused.
        var closed = new Uri($"http://127.0.0.1:{Notify.TestServers.FreePort.Next().ToString(CultureInfo.InvariantCulture)}/");
        var logs = new FakeLogCollector();

        await Assert.ThrowsAsync<HttpRequestException>(
            () => SqsTestClient.Create(closed, maxRetryAttempts: 2, new FakeLogger<SqsClient>(logs)).GetQueueUrlAsync("notify-messages", CancellationToken.None));

        Assert.Equal(2, logs.GetSnapshot().Count(e => e.Id.Name == "SqsRetrying"));
    }

    [Fact]
    public async Task Requests_CarryAValidSigV4SignatureForSqs_OnEveryAttempt()
    {
        await using var server = await StartAsync(Reply.Error(503, "ServiceUnavailable", type: "Receiver"));

        await SqsTestClient.Create(server.ServiceUrl).GetQueueUrlAsync("notify-messages", CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
        foreach (var request in server.Requests)
        {
            var date = DateTime.ParseExact(request.Headers["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            Assert.InRange(date, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
            Assert.StartsWith(
                $"AWS4-HMAC-SHA256 Credential={SqsTestClient.AccessKey}/{date:yyyyMMdd}/us-east-1/sqs/aws4_request, SignedHeaders=",
                request.Headers["Authorization"],
                StringComparison.Ordinal);
            Assert.Contains("x-amz-date", request.Headers["Authorization"], StringComparison.Ordinal);
            var (expected, actual) = SigV4Check.Signatures(request, SqsTestClient.SecretKey);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Requests_AreQueryProtocolFormPosts()
    {
        await using var server = await StartAsync();

        await SqsTestClient.Create(server.ServiceUrl).GetQueueAttributesAsync(
            server.QueueUrl(), ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("GetQueueAttributes", request.Form["Action"]);
        Assert.Equal("2012-11-05", request.Form["Version"]);
        Assert.Equal(server.QueueUrl(), request.Form["QueueUrl"]);
        Assert.Equal("ApproximateNumberOfMessages", request.Form["AttributeName.1"]);
        Assert.Equal("ApproximateNumberOfMessagesNotVisible", request.Form["AttributeName.2"]);
    }

    [Fact]
    public async Task SendMessageBatch_EntryTheAnswerDoesNotConfirm_IsReportedAsFailedOnTheServersSide()
    {
        // A 200 that lists only "a": "b" may not be stored, so it must not count as accepted.
        await using var server = await StartAsync(Reply.Ok(
            "SendMessageBatch",
            "<SendMessageBatchResultEntry><Id>a</Id><MessageId>m-a</MessageId></SendMessageBatchResultEntry>"));

        var failures = await SqsTestClient.Create(server.ServiceUrl).SendMessageBatchAsync(
            server.QueueUrl(), [new SqsSendEntry("a", "body a"), new SqsSendEntry("b", "body b")], CancellationToken.None);

        var failure = Assert.Single(failures);
        Assert.Equal("b", failure.Id);
        Assert.False(failure.SenderFault);
    }

    [Fact]
    public async Task DeleteMessageBatch_ReportsTheEntriesSqsRefused()
    {
        await using var server = await StartAsync(Reply.Ok(
            "DeleteMessageBatch",
            "<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>"
            + "<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code><Message>The input receipt handle is invalid.</Message></BatchResultErrorEntry>"));

        var failures = await SqsTestClient.Create(server.ServiceUrl).DeleteMessageBatchAsync(
            server.QueueUrl(), [("a", "handle-a"), ("b", "handle-b")], CancellationToken.None);

        Assert.Equal([new SqsBatchEntryFailure("b", "ReceiptHandleIsInvalid", "The input receipt handle is invalid.", SenderFault: true)], failures);
        var request = Assert.Single(server.Requests);
        Assert.Equal("handle-a", request.Form["DeleteMessageBatchRequestEntry.1.ReceiptHandle"]);
        Assert.Equal("b", request.Form["DeleteMessageBatchRequestEntry.2.Id"]);
    }

    [Fact]
    public async Task Request_CancelledDuringARetryDelay_ThrowsOperationCanceled()
    {
        await using var server = await StartAsync(Enumerable.Repeat(Reply.Error(503, "ServiceUnavailable", type: "Receiver"), 10).ToArray());
        using var cancellation = new CancellationTokenSource();
        var client = SqsTestClient.Create(server.ServiceUrl, maxRetryAttempts: 1000);

        var call = client.GetQueueUrlAsync("notify-messages", cancellation.Token);
        var retried = Task.Run(async () =>
        {
            while (server.Requests.Count < 2)
            {
                await Task.Delay(10);
            }
        });
        Assert.Same(retried, await Task.WhenAny(retried, call, Task.Delay(TimeSpan.FromSeconds(10))));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
