using System.Text.Json.Nodes;
using Amazon.SQS;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Shared.Dependencies;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Sqs;
using Notify.Tests.Queue.Sqs.Support;
using Notify.Tests.Sender.Support;
using static Notify.Tests.Queue.Sqs.Support.ScriptedSqsServer;

namespace Notify.Tests.Queue.Sqs;

/// <summary>
/// What <see cref="SqsMessageQueue"/> asks of SQS through the AWS SDK and how it takes SQS's answers,
/// including the ones the local SQS server never gives (entries failed on SQS's side, throttling, 5xx,
/// SQS's receipt-handle errors): against a real HTTP server answering SQS's JSON protocol.
/// </summary>
public sealed class SqsMessageQueueWireTests
{
    private const string QueueName = "notify-messages";

    [Fact]
    public async Task SendBatch_PutsTheNotifyIdInAStringMessageAttribute()
    {
        await using var server = await StartAsync();

        await Create(server).SendBatchAsync([new OutgoingMessage("m-1", "hello")], CancellationToken.None);

        var send = Assert.Single(server.Requests, r => r.Action == "SendMessageBatch");
        Assert.Equal(server.QueueUrl(QueueName), send.Text("QueueUrl"));
        var entry = Assert.Single(send.BatchEntries)!;
        Assert.Equal("hello", entry["MessageBody"]!.GetValue<string>());
        var attribute = entry["MessageAttributes"]![SqsMessageQueue.IdAttribute]!;
        Assert.Equal("String", attribute["DataType"]!.GetValue<string>());
        Assert.Equal("m-1", attribute["StringValue"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendBatch_SendsEachDelayInWholeSecondsRoundedUp_AndNoDelaySecondsWithoutADelay()
    {
        await using var server = await StartAsync();

        await Create(server).SendBatchAsync(
            [
                new("m-1", "a"),
                new("m-2", "b", TimeSpan.FromMilliseconds(1200)),
                new("m-3", "c", TimeSpan.FromSeconds(3)),
                new("m-4", "d", TimeSpan.FromMinutes(15)),
            ],
            CancellationToken.None);

        var entries = Assert.Single(server.Requests, r => r.Action == "SendMessageBatch").BatchEntries;
        Assert.Equal([null, "2", "3", "900"], entries.Select(e => e!["DelaySeconds"]?.ToString()));
    }

    [Fact]
    public async Task GetDepth_AsksForAndMapsTheWaitingInFlightAndDelayedCounts()
    {
        await using var server = await StartAsync(Reply.Ok(new JsonObject
        {
            ["Attributes"] = new JsonObject
            {
                ["ApproximateNumberOfMessages"] = "5",
                ["ApproximateNumberOfMessagesNotVisible"] = "3",
                ["ApproximateNumberOfMessagesDelayed"] = "2",
            },
        }).For("GetQueueAttributes"));

        var depth = await Create(server).GetDepthAsync(CancellationToken.None);

        Assert.Equal(new QueueDepth(Waiting: 5, InFlight: 3, Delayed: 2), depth);
        var request = Assert.Single(server.Requests, r => r.Action == "GetQueueAttributes");
        Assert.Equal(
            ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed", "ApproximateNumberOfMessagesNotVisible"],
            request.Json["AttributeNames"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SendBatch_OfTwentyFiveMessages_SendsThreeBatchesOfAtMostTen()
    {
        await using var server = await StartAsync();
        var messages = Enumerable.Range(0, 25).Select(i => new OutgoingMessage($"m-{i}", $"body {i}")).ToArray();

        await Create(server).SendBatchAsync(messages, CancellationToken.None);

        var sends = server.Requests.Where(r => r.Action == "SendMessageBatch").ToList();
        Assert.Equal([5, 10, 10], sends.Select(r => r.BatchEntries.Count).Order());
        Assert.Equal(messages.Select(m => m.Id).Order(StringComparer.Ordinal), sends.SelectMany(r => r.NotifyIds).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SendBatch_OfMessagesOverOneMebibyteTogether_SplitsThemWithinSqsBatchLimit()
    {
        await using var server = await StartAsync();
        var body = new string('x', 400 * 1024);

        await Create(server).SendBatchAsync([new("m-1", body), new("m-2", body), new("m-3", body)], CancellationToken.None);

        var sends = server.Requests.Where(r => r.Action == "SendMessageBatch").ToList();
        Assert.Equal([1, 2], sends.Select(r => r.BatchEntries.Count).Order());
    }

    [Fact]
    public async Task SendBatch_WhenSqsFailsAnEntryOnItsSide_SendsThatEntryAgain()
    {
        await using var server = await StartAsync(Reply.SendBatchWithFailures(3, "InternalError", senderFault: false, 1));

        await Create(server).SendBatchAsync([new("m-1", "a"), new("m-2", "b"), new("m-3", "c")], CancellationToken.None);

        var sends = server.Requests.Where(r => r.Action == "SendMessageBatch").ToList();
        Assert.Equal(2, sends.Count);
        Assert.Equal(["m-2"], sends[1].NotifyIds);
        Assert.Equal("b", sends[1].BatchEntries[0]!["MessageBody"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendBatch_WhenSqsRefusesAnEntryAsInvalid_ThrowsNamingTheMessage_WithoutSendingAgain()
    {
        await using var server = await StartAsync(Reply.SendBatchWithFailures(3, "InvalidMessageContents", senderFault: true, 2));

        var error = await Assert.ThrowsAsync<SqsBatchEntryException>(
            () => Create(server).SendBatchAsync([new("m-1", "a"), new("m-2", "b"), new("m-3", "c")], CancellationToken.None));

        var failure = Assert.Single(error.Failures);
        Assert.Equal(new SqsBatchEntryFailure("m-3", "InvalidMessageContents", "scripted", SenderFault: true), failure);
        Assert.Contains("m-3", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests, r => r.Action == "SendMessageBatch");
    }

    [Fact]
    public async Task SendBatch_WhenSqsKeepsFailingAnEntry_ThrowsThatSqsIsUnavailable_AfterTheResends()
    {
        var failing = Enumerable.Range(0, 6).Select(_ => Reply.SendBatchWithFailures(1, "ServiceUnavailable", senderFault: false, 0)).ToArray();
        await using var server = await StartAsync(failing);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => Create(server).SendBatchAsync([new("m-1", "a")], CancellationToken.None));

        Assert.Equal(DependencyNames.Sqs, error.Dependency);
        Assert.Equal("m-1", Assert.Single(Assert.IsType<SqsBatchEntryException>(error.InnerException).Failures).Id);
        Assert.Equal(6, server.Requests.Count(r => r.Action == "SendMessageBatch"));
    }

    [Fact]
    public async Task SendBatch_WhenSqsThrottlesOnce_TheSdkRetries_AndTheMessageIsStored()
    {
        await using var server = await StartAsync(Reply.Error(400, "ThrottlingException", "Rate exceeded", senderFault: false).For("SendMessageBatch"));

        await Create(server).SendBatchAsync([new("m-1", "a")], CancellationToken.None);

        Assert.Equal(2, server.Requests.Count(r => r.Action == "SendMessageBatch"));
    }

    [Fact]
    public async Task Receive_WhenSqsKeepsAnswering503_ThrowsThatSqsIsUnavailable_AfterThreeRetries()
    {
        var unavailable = Enumerable.Range(0, 10).Select(_ => Reply.Error(503, "ServiceUnavailable", "try later", senderFault: false).For("ReceiveMessage")).ToArray();
        await using var server = await StartAsync(unavailable);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => Create(server).ReceiveAsync(1, TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None));

        Assert.Equal(DependencyNames.Sqs, error.Dependency);
        Assert.IsAssignableFrom<AmazonSQSException>(error.InnerException);
        Assert.Equal(4, server.Requests.Count(r => r.Action == "ReceiveMessage"));
    }

    [Fact]
    public async Task Operations_WhenNothingListensAtTheServiceUrl_ThrowThatSqsIsUnavailable()
    {
        var closed = new Uri($"http://127.0.0.1:{Notify.TestServers.FreePort.Next()}/");
        var queue = new SqsMessageQueue(
            SqsTestClient.Create(closed),
            new SqsQueueSettings(QueueName, CreateResources: true),
            TimeProvider.System,
            NullLogger<SqsMessageQueue>.Instance);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => queue.GetDepthAsync(CancellationToken.None));

        Assert.Equal(DependencyNames.Sqs, error.Dependency);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\u00e9")]
    public async Task SendBatch_WithABodySqsCannotStore_ThrowsArgumentException_AndSendsNothing(string character)
    {
        await using var server = await StartAsync();

        // Empty; or 1 MiB of body, which leaves no room for the id attribute SQS counts with it.
        var body = character.Length == 0 ? "" : new string('x', 1024 * 1024 - 2) + character;

        await Assert.ThrowsAsync<ArgumentException>(
            () => Create(server).SendBatchAsync([new("m-1", "a"), new("m-2", body)], CancellationToken.None));

        Assert.DoesNotContain(server.Requests, r => r.Action == "SendMessageBatch");
    }

    [Fact]
    public async Task Receive_AsksForWholeSecondsRoundedUp_AndForTheAttributesItMaps()
    {
        await using var server = await StartAsync(Reply.OneMessage("sqs-1", "handle-1", "hello", "m-1", receiveCount: 3, sentTimestampMs: 1767225600000));

        var received = await Create(server).ReceiveAsync(4, TimeSpan.FromMilliseconds(1200), TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.Equal(new ReceivedMessage("m-1", "handle-1", "hello", 3, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), Assert.Single(received));
        var receive = Assert.Single(server.Requests, r => r.Action == "ReceiveMessage");
        Assert.Equal("4", receive.Text("MaxNumberOfMessages"));
        Assert.Equal("2", receive.Text("VisibilityTimeout"));
        Assert.Equal("1", receive.Text("WaitTimeSeconds"));
        Assert.Equal(["ApproximateReceiveCount", "SentTimestamp"], receive.Json["MessageSystemAttributeNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal([SqsMessageQueue.IdAttribute], receive.Json["MessageAttributeNames"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Theory]
    [InlineData("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", "The input receipt handle is invalid.")]
    [InlineData("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", "The message referred to isn't in flight.")]
    [InlineData("InvalidParameterValue", "InvalidParameterValue", "Value handle-1 for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.")]
    public async Task ChangeVisibility_WhenSqsCallsTheHandleStale_ReturnsFalse(string type, string queryCode, string message)
    {
        await using var server = await StartAsync(Reply.Error(400, type, message, queryCode).For("ChangeMessageVisibility"));

        Assert.False(await Create(server).ChangeVisibilityAsync("handle-1", TimeSpan.FromSeconds(5), CancellationToken.None));

        var change = Assert.Single(server.Requests, r => r.Action == "ChangeMessageVisibility");
        Assert.Equal("handle-1", change.Text("ReceiptHandle"));
        Assert.Equal("5", change.Text("VisibilityTimeout"));
    }

    [Fact]
    public async Task ChangeVisibility_WhenSqsRefusesForAnotherReason_Throws()
    {
        await using var server = await StartAsync(Reply.Error(
            400, "InvalidParameterValue", "Value 50000 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]").For("ChangeMessageVisibility"));

        var error = await Assert.ThrowsAnyAsync<AmazonSQSException>(
            () => Create(server).ChangeVisibilityAsync("handle-1", TimeSpan.FromHours(12), CancellationToken.None));

        Assert.Equal("InvalidParameterValue", error.ErrorCode);
    }

    [Theory]
    [InlineData("ReceiptHandleIsInvalid", "The input receipt handle is invalid.")]
    [InlineData("InvalidParameterValue", "Value handle-1 for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.")]
    public async Task Delete_WhenSqsCallsTheHandleStale_Succeeds(string code, string message)
    {
        await using var server = await StartAsync(Reply.Error(400, code, message).For("DeleteMessage"));

        await Create(server).DeleteAsync("handle-1", CancellationToken.None);

        Assert.Equal("handle-1", Assert.Single(server.Requests, r => r.Action == "DeleteMessage").Text("ReceiptHandle"));
    }

    [Fact]
    public async Task FirstUse_CreatesTheQueueWithNotifysAttributes_Once_ForConcurrentCallers()
    {
        await using var server = await StartAsync();
        var queue = Create(server);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => queue.GetDepthAsync(CancellationToken.None)));

        var create = Assert.Single(server.Requests, r => r.Action is "CreateQueue" or "GetQueueUrl");
        Assert.Equal("CreateQueue", create.Action);
        Assert.Equal(QueueName, create.Text("QueueName"));
        var attributes = create.Json["Attributes"]!;
        Assert.Equal("1048576", attributes["MaximumMessageSize"]!.GetValue<string>());
        Assert.Equal("1209600", attributes["MessageRetentionPeriod"]!.GetValue<string>());
        Assert.Equal("true", attributes["SqsManagedSseEnabled"]!.GetValue<string>());
        Assert.Equal(8, server.Requests.Count(r => r.Action == "GetQueueAttributes"));
    }

    [Fact]
    public async Task FirstUse_WithCreateResourcesOff_LooksTheQueueUpAndNeverCreatesIt()
    {
        await using var server = await StartAsync();

        await Create(server, createResources: false).GetDepthAsync(CancellationToken.None);

        Assert.Equal(["GetQueueUrl", "GetQueueAttributes"], server.Requests.Select(r => r.Action));
    }

    [Fact]
    public async Task FirstUse_WithCreateResourcesOff_AndNoQueue_ThrowsNamingTheQueueAndTheSetting()
    {
        await using var server = await StartAsync(Reply.Error(400, "QueueDoesNotExist", "The specified queue does not exist.", "AWS.SimpleQueueService.NonExistentQueue").For("GetQueueUrl"));

        var error = await Assert.ThrowsAsync<SqsQueueDoesNotExistException>(
            () => Create(server, createResources: false).SendBatchAsync([new("m-1", "a")], CancellationToken.None));

        Assert.Equal(QueueName, error.Queue);
        Assert.Contains($"'{QueueName}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:Aws:CreateResources is off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstUse_AfterAFailedLookup_LooksAgain()
    {
        await using var server = await StartAsync(Reply.Error(403, "AccessDenied", "not authorized to perform sqs:CreateQueue").For("CreateQueue"));
        var queue = Create(server);

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => queue.GetDepthAsync(CancellationToken.None));
        await queue.GetDepthAsync(CancellationToken.None);

        Assert.Equal(2, server.Requests.Count(r => r.Action == "CreateQueue"));
    }

    [Fact]
    public async Task FirstUse_WhenTheQueueExistsWithOtherAttributes_UsesItAsItIs()
    {
        await using var server = await StartAsync(
            Reply.Error(400, "QueueNameExists", "A queue already exists with the same name and a different value for attribute VisibilityTimeout", "QueueAlreadyExists").For("CreateQueue"));
        var logs = new FakeLogCollector();

        await Create(server, logger: new FakeLogger<SqsMessageQueue>(logs)).GetDepthAsync(CancellationToken.None);

        Assert.Equal(["CreateQueue", "GetQueueUrl", "GetQueueAttributes"], server.Requests.Select(r => r.Action));
        Assert.Contains(logs.GetSnapshot(), e => e.Id.Name == "SqsQueueHasOtherAttributes" && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Operations_OnAQueueDeletedSinceStartUp_ThrowNamingTheQueue()
    {
        await using var server = await StartAsync(Reply.Error(400, "QueueDoesNotExist", "The specified queue does not exist.", "AWS.SimpleQueueService.NonExistentQueue").For("ReceiveMessage"));

        var error = await Assert.ThrowsAsync<SqsQueueDoesNotExistException>(
            () => Create(server).ReceiveAsync(1, TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None));

        Assert.Equal(server.QueueUrl(QueueName), error.Queue);
        Assert.Contains("deleted since", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetriesAndFailures_NeverLogMessageBodiesOrTheSecretKey()
    {
        const string body = "card 4111-1111-1111-1111 over limit";
        await using var server = await StartAsync(
            Reply.Error(400, "ThrottlingException", "Rate exceeded", senderFault: false).For("SendMessageBatch"),
            Reply.SendBatchWithFailures(1, "InternalError", senderFault: false, 0),
            Reply.SendBatchWithFailures(1, "InvalidMessageContents", senderFault: true, 0));
        var logs = new FakeLogCollector();
        var queue = Create(server, logger: new FakeLogger<SqsMessageQueue>(logs));

        var error = await Assert.ThrowsAsync<SqsBatchEntryException>(() => queue.SendBatchAsync([new("m-1", body)], CancellationToken.None));

        Assert.Contains(logs.GetSnapshot(), e => e.Id.Name == "SqsRetryingFailedEntries");
        Assert.DoesNotContain("4111", logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(SqsTestClient.SecretKey, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", error.Message, StringComparison.Ordinal);
    }

    // Resends of failed entries quick enough that a test waits milliseconds.
    private static SqsMessageQueue Create(ScriptedSqsServer server, bool createResources = true, ILogger<SqsMessageQueue>? logger = null) => new(
        SqsTestClient.Create(server.ServiceUrl),
        new SqsQueueSettings(QueueName, createResources) { EntryRetryBaseDelay = TimeSpan.FromMilliseconds(10), EntryRetryMaxDelay = TimeSpan.FromMilliseconds(100) },
        TimeProvider.System,
        logger ?? NullLogger<SqsMessageQueue>.Instance);
}
