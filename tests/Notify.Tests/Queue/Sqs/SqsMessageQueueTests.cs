using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Sqs;
using Notify.TestServers;
using Notify.Tests.Queue.Sqs.Support;
using Notify.Tests.Sender.Support;

namespace Notify.Tests.Queue.Sqs;

/// <summary>
/// The queue contract against sqslite, a real SQS server on loopback: one server for the class, a queue
/// of its own for each test. sqslite keeps real time, so time passes by waiting; the visibility
/// timeout is short to keep those waits to seconds.
/// </summary>
public sealed class SqsMessageQueueTests(SqsliteServer sqs) : MessageQueueContractTests, IClassFixture<SqsliteServer>
{
    protected override TimeSpan VisibilityTimeout => TimeSpan.FromSeconds(3);

    protected override bool UsesRealTime => true;

    protected override Task<IMessageQueue> CreateQueueAsync() => Task.FromResult<IMessageQueue>(Create());

    protected override Task PassTimeAsync(TimeSpan by) => Task.Delay(by);

    [Fact]
    public async Task SendBatch_OfTwentyFiveMessages_StoresEveryOne()
    {
        var sent = Enumerable.Range(0, 25).Select(i => ($"m-{i}", $"body {i}")).ToArray();

        await SendAsync(sent);

        var received = new List<ReceivedMessage>();
        while (await ReceiveNowAsync(10) is { Count: > 0 } batch)
        {
            received.AddRange(batch);
        }

        Assert.Equal(sent.Select(s => s.Item1).Order(StringComparer.Ordinal), received.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.All(received, m => Assert.Equal(m.Id.Replace("m-", "body ", StringComparison.Ordinal), m.Body));
    }

    [Fact]
    public async Task FirstUse_OnAServerThatCapsMessageSizeBelowOneMebibyte_CreatesTheQueueWithTheServersDefault()
    {
        // sqslite refuses MaximumMessageSize above 262144, as SQS did before 2025.
        var logs = new LogCollector();
        var queue = Create(logs.CreateLogger<SqsMessageQueue>());

        await queue.SendBatchAsync([new OutgoingMessage("m-1", "hello")], CancellationToken.None);

        Assert.Equal("m-1", Assert.Single(await queue.ReceiveAsync(1, VisibilityTimeout, TimeSpan.Zero, CancellationToken.None)).Id);
        var warning = Assert.Single(logs.Entries, e => e.EventName == "SqsMaximumMessageSizeRefused");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("262144 bytes", warning.Message, StringComparison.Ordinal);
    }

    private SqsMessageQueue Create(ILogger<SqsMessageQueue>? logger = null) => new(
        SqsTestClient.Create(sqs.ServiceUrl),
        new SqsQueueSettings(SqsTestClient.UniqueQueueName(), CreateResources: true),
        TimeProvider.System,
        logger ?? NullLogger<SqsMessageQueue>.Instance);
}
