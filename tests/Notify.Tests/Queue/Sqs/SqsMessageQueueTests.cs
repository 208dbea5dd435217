using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Sqs;
using Notify.TestServers;
using Notify.Tests.Queue.Sqs.Support;
using Notify.Tests.Sender.Support;

namespace Notify.Tests.Queue.Sqs;

/// <summary>
/// The queue contract against moto, a real SQS server on loopback: one server for the class, a queue
/// of its own for each test. The server keeps real time, so time passes by waiting; the visibility
/// timeout is short to keep those waits to seconds.
/// </summary>
public sealed class SqsMessageQueueTests(SqsServer sqs) : MessageQueueContractTests, IClassFixture<SqsServer>
{
    protected override TimeSpan VisibilityTimeout => TimeSpan.FromSeconds(3);

    protected override bool UsesRealTime => true;

    // SQS (and moto) may accept a standard queue's earlier receipt handle.
    protected override bool RefusesEarlierReceiptHandles => false;

    // A standard queue delivers at least once; moto was seen handing one of 40 messages to two receivers.
    protected override bool HandsEachMessageOutOnce => false;

    protected override Task<IMessageQueue> CreateQueueAsync() => Task.FromResult<IMessageQueue>(Create());

    protected override Task PassTimeAsync(TimeSpan by) => Task.Delay(by);

    [Fact]
    public async Task SendBatch_OfTwentyFiveMessages_StoresEveryOne()
    {
        var sent = Enumerable.Range(0, 25).Select(i => ($"m-{i}", $"body {i}")).ToArray();

        await SendAsync(sent);

        // Hidden for long enough that none comes back while the rest are received, however slow the machine.
        var received = new List<ReceivedMessage>();
        while (await Queue.ReceiveAsync(10, TimeSpan.FromMinutes(5), TimeSpan.Zero, CancellationToken.None) is { Count: > 0 } batch)
        {
            received.AddRange(batch);
        }

        Assert.Equal(sent.Select(s => s.Item1).Order(StringComparer.Ordinal), received.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.All(received, m => Assert.Equal(m.Id.Replace("m-", "body ", StringComparison.Ordinal), m.Body));
    }

    [Fact]
    public async Task MessageOfNearlyOneMebibyte_RoundTrips()
    {
        // The queue is created with MaximumMessageSize 1 MiB (SQS's default is still 256 KiB), and
        // takes bodies up to that whatever they hold (Notify's envelopes stay under 343 KiB).
        var body = new string('x', 900 * 1024);

        await SendAsync(("m-big", body));

        var message = Assert.Single(await ReceiveNowAsync(1));
        Assert.Equal(body, message.Body);
    }

    private SqsMessageQueue Create(ILogger<SqsMessageQueue>? logger = null) => new(
        SqsTestClient.Create(sqs.ServiceUrl),
        new SqsQueueSettings(SqsTestClient.UniqueQueueName(), CreateResources: true),
        TimeProvider.System,
        logger ?? NullLogger<SqsMessageQueue>.Instance);
}
