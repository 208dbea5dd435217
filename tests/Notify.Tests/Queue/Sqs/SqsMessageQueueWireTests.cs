using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Sqs;
using Notify.Tests.Queue.Sqs.Support;
using Notify.Tests.Sender.Support;
using static Notify.Tests.Queue.Sqs.Support.ScriptedSqsServer;

namespace Notify.Tests.Queue.Sqs;

/// <summary>
/// What <see cref="SqsMessageQueue"/> asks of SQS and how it takes SQS's answers, including the ones
/// the local SQS server never gives (entries failed on SQS's side, SQS's receipt-handle errors): against a real
/// HTTP server answering as SQS does.
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
        Assert.Equal(server.QueueUrl(QueueName), send.Form["QueueUrl"]);
        Assert.Equal("hello", send.Form["SendMessageBatchRequestEntry.1.MessageBody"]);
        Assert.Equal(SqsMessageQueue.IdAttribute, send.Form["SendMessageBatchRequestEntry.1.MessageAttribute.1.Name"]);
        Assert.Equal("String", send.Form["SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType"]);
        Assert.Equal("m-1", send.Form["SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue"]);
    }

    [Fact]
    public async Task SendBatch_OfTwentyFiveMessages_SendsThreeBatchesOfAtMostTen()
    {
        await using var server = await StartAsync();
        var messages = Enumerable.Range(0, 25).Select(i => new OutgoingMessage($"m-{i}", $"body {i}")).ToArray();

        await Create(server).SendBatchAsync(messages, CancellationToken.None);

        var sends = server.Requests.Where(r => r.Action == "SendMessageBatch").ToList();
        Assert.Equal([5, 10, 10], sends.Select(r => r.EntryIds("SendMessageBatchRequestEntry").Count).Order());
        Assert.Equal(
            messages.Select(m => m.Id).Order(StringComparer.Ordinal),
            sends.SelectMany(r => r.Form.Where(f => f.Key.EndsWith(".MessageAttribute.1.Value.StringValue", StringComparison.Ordinal)).Select(f => f.Value))
                .Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SendBatch_OfMessagesOverOneMebibyteTogether_SplitsThemWithinSqsBatchLimit()
    {
        await using var server = await StartAsync();
        var body = new string('x', 400 * 1024);

        await Create(server).SendBatchAsync([new("m-1", body), new("m-2", body), new("m-3", body)], CancellationToken.None);

        var sends = server.Requests.Where(r => r.Action == "SendMessageBatch").ToList();
        Assert.Equal([1, 2], sends.Select(r => r.EntryIds("SendMessageBatchRequestEntry").Count).Order());
    }

    [Fact]
    public async Task SendBatch_WhenSqsFailsAnEntryOnItsSide_SendsThatEntryAgain()
    {
        await using var server = await StartAsync(Reply.SendBatchWithFailures(3, "InternalError", senderFault: false, 1));

        await Create(server).SendBatchAsync([new("m-1", "a"), new("m-2", "b"), new("m-3", "c")], CancellationToken.None);

        var sends = server.Requests.Where(r => r.Action == "SendMessageBatch").ToList();
        Assert.Equal(2, sends.Count);
        Assert.Equal("b", sends[1].Form["SendMessageBatchRequestEntry.1.MessageBody"]);
        Assert.Equal("m-2", sends[1].Form["SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue"]);
        Assert.False(sends[1].Form.ContainsKey("SendMessageBatchRequestEntry.2.Id"));
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
    public async Task SendBatch_WhenSqsKeepsFailingAnEntry_ThrowsAfterTheRetries()
    {
        var failing = Enumerable.Range(0, 6).Select(_ => Reply.SendBatchWithFailures(1, "ServiceUnavailable", senderFault: false, 0)).ToArray();
        await using var server = await StartAsync(failing);

        var error = await Assert.ThrowsAsync<SqsBatchEntryException>(
            () => Create(server).SendBatchAsync([new("m-1", "a")], CancellationToken.None));

        Assert.Equal("m-1", Assert.Single(error.Failures).Id);
        Assert.Equal(6, server.Requests.Count(r => r.Action == "SendMessageBatch"));
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
        await using var server = await StartAsync(Reply.Ok(
            "ReceiveMessage",
            "<Message><MessageId>sqs-1</MessageId><ReceiptHandle>handle-1</ReceiptHandle><Body>hello</Body>"
            + "<Attribute><Name>ApproximateReceiveCount</Name><Value>3</Value></Attribute>"
            + "<Attribute><Name>SentTimestamp</Name><Value>1767225600000</Value></Attribute>"
            + "<MessageAttribute><Name>NotifyMessageId</Name><Value><StringValue>m-1</StringValue><DataType>String</DataType></Value></MessageAttribute>"
            + "</Message>").For("ReceiveMessage"));

        var received = await Create(server).ReceiveAsync(4, TimeSpan.FromMilliseconds(1200), TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.Equal(new ReceivedMessage("m-1", "handle-1", "hello", 3, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), Assert.Single(received));
        var receive = Assert.Single(server.Requests, r => r.Action == "ReceiveMessage");
        Assert.Equal("4", receive.Form["MaxNumberOfMessages"]);
        Assert.Equal("2", receive.Form["VisibilityTimeout"]);
        Assert.Equal("1", receive.Form["WaitTimeSeconds"]);
        Assert.Equal(["ApproximateReceiveCount", "SentTimestamp"], [receive.Form["AttributeName.1"], receive.Form["AttributeName.2"]]);
        Assert.Equal(SqsMessageQueue.IdAttribute, receive.Form["MessageAttributeName.1"]);
    }

    [Theory]
    [InlineData("ReceiptHandleIsInvalid", "The input receipt handle is invalid.")]
    [InlineData("AWS.SimpleQueueService.MessageNotInflight", "The message referred to isn't in flight.")]
    [InlineData("InvalidParameterValue", "Value handle-1 for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.")]
    public async Task ChangeVisibility_WhenSqsCallsTheHandleStale_ReturnsFalse(string code, string message)
    {
        await using var server = await StartAsync(Reply.Error(400, code, message).For("ChangeMessageVisibility"));

        Assert.False(await Create(server).ChangeVisibilityAsync("handle-1", TimeSpan.FromSeconds(5), CancellationToken.None));

        var change = Assert.Single(server.Requests, r => r.Action == "ChangeMessageVisibility");
        Assert.Equal("handle-1", change.Form["ReceiptHandle"]);
        Assert.Equal("5", change.Form["VisibilityTimeout"]);
    }

    [Fact]
    public async Task ChangeVisibility_WhenSqsRefusesForAnotherReason_Throws()
    {
        await using var server = await StartAsync(Reply.Error(
            400, "InvalidParameterValue", "Value 50000 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]").For("ChangeMessageVisibility"));

        var error = await Assert.ThrowsAsync<SqsException>(
            () => Create(server).ChangeVisibilityAsync("handle-1", TimeSpan.FromHours(12), CancellationToken.None));

        Assert.Equal("InvalidParameterValue", error.Code);
    }

    [Theory]
    [InlineData("ReceiptHandleIsInvalid", "The input receipt handle is invalid.")]
    [InlineData("InvalidParameterValue", "Value handle-1 for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.")]
    public async Task Delete_WhenSqsCallsTheHandleStale_Succeeds(string code, string message)
    {
        await using var server = await StartAsync(Reply.Error(400, code, message).For("DeleteMessage"));

        await Create(server).DeleteAsync("handle-1", CancellationToken.None);

        Assert.Equal("handle-1", Assert.Single(server.Requests, r => r.Action == "DeleteMessage").Form["ReceiptHandle"]);
    }

    [Fact]
    public async Task FirstUse_CreatesTheQueueWithNotifysAttributes_Once_ForConcurrentCallers()
    {
        await using var server = await StartAsync();
        var queue = Create(server);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => queue.GetDepthAsync(CancellationToken.None)));

        var create = Assert.Single(server.Requests, r => r.Action is "CreateQueue" or "GetQueueUrl");
        Assert.Equal("CreateQueue", create.Action);
        Assert.Equal(QueueName, create.Form["QueueName"]);
        var attributes = Enumerable.Range(1, 3).ToDictionary(i => create.Form[$"Attribute.{i}.Name"], i => create.Form[$"Attribute.{i}.Value"]);
        Assert.Equal("1048576", attributes["MaximumMessageSize"]);
        Assert.Equal("1209600", attributes["MessageRetentionPeriod"]);
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
        await using var server = await StartAsync(Reply.Error(400, SqsErrorCodes.NonExistentQueue, "The specified queue does not exist.").For("GetQueueUrl"));

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

        await Assert.ThrowsAsync<SqsException>(() => queue.GetDepthAsync(CancellationToken.None));
        await queue.GetDepthAsync(CancellationToken.None);

        Assert.Equal(2, server.Requests.Count(r => r.Action == "CreateQueue"));
    }

    [Fact]
    public async Task FirstUse_WhenTheQueueExistsWithOtherAttributes_UsesItAsItIs()
    {
        await using var server = await StartAsync(
            Reply.Error(400, "QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute VisibilityTimeout").For("CreateQueue"));
        var logs = new FakeLogCollector();

        await Create(server, logger: new FakeLogger<SqsMessageQueue>(logs)).GetDepthAsync(CancellationToken.None);

        Assert.Equal(["CreateQueue", "GetQueueUrl", "GetQueueAttributes"], server.Requests.Select(r => r.Action));
        Assert.Contains(logs.GetSnapshot(), e => e.Id.Name == "SqsQueueHasOtherAttributes" && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Operations_OnAQueueDeletedSinceStartUp_ThrowNamingTheQueue()
    {
        await using var server = await StartAsync(Reply.Error(400, SqsErrorCodes.NonExistentQueue, "The specified queue does not exist.").For("ReceiveMessage"));

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
            Reply.Error(400, "ThrottlingException", "Rate exceeded").For("SendMessageBatch"),
            Reply.SendBatchWithFailures(1, "InternalError", senderFault: false, 0),
            Reply.SendBatchWithFailures(1, "InvalidMessageContents", senderFault: true, 0));
        var logs = new FakeLogCollector();
        var queue = new SqsMessageQueue(
            SqsTestClient.Create(server.ServiceUrl, logger: new FakeLogger<SqsClient>(logs)),
            new SqsQueueSettings(QueueName, CreateResources: true),
            TimeProvider.System,
            new FakeLogger<SqsMessageQueue>(logs));

        var error = await Assert.ThrowsAsync<SqsBatchEntryException>(() => queue.SendBatchAsync([new("m-1", body)], CancellationToken.None));

        Assert.Contains(logs.GetSnapshot(), e => e.Id.Name == "SqsRetrying");
        Assert.Contains(logs.GetSnapshot(), e => e.Id.Name == "SqsRetryingFailedEntries");
        Assert.DoesNotContain("4111", logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(SqsTestClient.SecretKey, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", error.Message, StringComparison.Ordinal);
    }

    private static SqsMessageQueue Create(ScriptedSqsServer server, bool createResources = true, ILogger<SqsMessageQueue>? logger = null) => new(
        SqsTestClient.Create(server.ServiceUrl),
        new SqsQueueSettings(QueueName, createResources),
        TimeProvider.System,
        logger ?? NullLogger<SqsMessageQueue>.Instance);
}
