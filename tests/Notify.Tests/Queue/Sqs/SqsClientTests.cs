using Notify.Shared.Queue.Sqs;
using Notify.TestServers;
using Notify.Tests.Queue.Sqs.Support;

namespace Notify.Tests.Queue.Sqs;

/// <summary>The SQS client against moto, a real SQS server on loopback; each test on a queue of its own.</summary>
public sealed class SqsClientTests(SqsServer sqs) : IClassFixture<SqsServer>
{
    private static readonly Dictionary<string, string> NoAttributes = [];

    private readonly SqsClient _client = SqsTestClient.Create(sqs.ServiceUrl);

    [Fact]
    public async Task GetQueueUrl_OfAMissingQueue_ThrowsQueueDoesNotExistNamingIt()
    {
        var name = SqsTestClient.UniqueQueueName();

        var error = await Assert.ThrowsAsync<SqsQueueDoesNotExistException>(() => _client.GetQueueUrlAsync(name, CancellationToken.None));

        Assert.Equal(name, error.Queue);
        Assert.Equal(SqsErrorCodes.NonExistentQueue, error.Code);
        Assert.Contains($"'{name}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendMessageBatch_ToAMissingQueue_ThrowsQueueDoesNotExistNamingItsUrl()
    {
        var url = new Uri(sqs.ServiceUrl, "queues/" + SqsTestClient.UniqueQueueName()).AbsoluteUri;

        var error = await Assert.ThrowsAsync<SqsQueueDoesNotExistException>(
            () => _client.SendMessageBatchAsync(url, [new SqsSendEntry("0", "a")], CancellationToken.None));

        Assert.Equal(url, error.Queue);
    }

    [Fact]
    public async Task CreateQueue_Twice_ReturnsTheSameUrl_AndGetQueueUrlFindsIt()
    {
        var name = SqsTestClient.UniqueQueueName();
        var attributes = new Dictionary<string, string> { ["MessageRetentionPeriod"] = "1209600", ["VisibilityTimeout"] = "30" };

        var created = await _client.CreateQueueAsync(name, attributes, CancellationToken.None);
        var again = await _client.CreateQueueAsync(name, attributes, CancellationToken.None);

        Assert.Equal(created, again);
        Assert.Equal(created, await _client.GetQueueUrlAsync(name, CancellationToken.None));
        var read = await _client.GetQueueAttributesAsync(created, ["MessageRetentionPeriod", "VisibilityTimeout"], CancellationToken.None);
        Assert.Equal("1209600", read["MessageRetentionPeriod"]);
        Assert.Equal("30", read["VisibilityTimeout"]);
    }

    [Fact]
    public async Task CreateQueue_WithOtherAttributesThanTheExistingQueue_ThrowsQueueAlreadyExists()
    {
        var name = SqsTestClient.UniqueQueueName();
        await _client.CreateQueueAsync(name, new Dictionary<string, string> { ["VisibilityTimeout"] = "30" }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<SqsException>(
            () => _client.CreateQueueAsync(name, new Dictionary<string, string> { ["VisibilityTimeout"] = "60" }, CancellationToken.None));

        Assert.Equal(SqsErrorCodes.QueueAlreadyExists, error.Code);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task SendAndReceive_RoundTripBodiesAndStringAttributesExactly()
    {
        var url = await _client.CreateQueueAsync(SqsTestClient.UniqueQueueName(), NoAttributes, CancellationToken.None);
        const string body = "{\"a\":\"<b>&amp; 'x' \\\"y\\\"\"}\r\nline two\ttab é ü 中文 😀 + % = &";

        await _client.SendMessageBatchAsync(
            url, [new SqsSendEntry("0", body, new Dictionary<string, string> { ["NotifyMessageId"] = "m-1 +&=" })], CancellationToken.None);
        var message = Assert.Single(await _client.ReceiveMessageAsync(
            url, new SqsReceiveRequest(10, 30, 0, ["ApproximateReceiveCount", "SentTimestamp"], ["NotifyMessageId"]), CancellationToken.None));

        Assert.Equal(body, message.Body);
        Assert.Equal("m-1 +&=", message.StringAttributes["NotifyMessageId"]);
        Assert.Equal("1", message.Attributes["ApproximateReceiveCount"]);
        Assert.InRange(
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(message.Attributes["SentTimestamp"], System.Globalization.CultureInfo.InvariantCulture)),
            DateTimeOffset.UtcNow.AddMinutes(-1),
            DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.False(string.IsNullOrEmpty(message.ReceiptHandle));
        Assert.False(string.IsNullOrEmpty(message.MessageId));
    }

    [Fact]
    public async Task SendMessageBatch_OfTenEntries_StoresThemAll_AndGetQueueAttributesCountsThem()
    {
        var url = await _client.CreateQueueAsync(SqsTestClient.UniqueQueueName(), NoAttributes, CancellationToken.None);
        var entries = Enumerable.Range(0, 10).Select(i => new SqsSendEntry($"e{i}", $"body {i}")).ToList();

        Assert.Empty(await _client.SendMessageBatchAsync(url, entries, CancellationToken.None));

        var depth = await _client.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], CancellationToken.None);
        Assert.Equal("10", depth["ApproximateNumberOfMessages"]);
        var received = await _client.ReceiveMessageAsync(url, new SqsReceiveRequest(10, 30, 0), CancellationToken.None);
        Assert.Equal(entries.Select(e => e.Body).Order(StringComparer.Ordinal), received.Select(m => m.Body).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task SendMessageBatch_OfNoneOrMoreThanTenEntries_ThrowsArgumentOutOfRange(int count)
    {
        var entries = Enumerable.Range(0, count).Select(i => new SqsSendEntry($"e{i}", "a")).ToList();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => _client.SendMessageBatchAsync(new Uri(sqs.ServiceUrl, "queues/q").AbsoluteUri, entries, CancellationToken.None));
    }
}
