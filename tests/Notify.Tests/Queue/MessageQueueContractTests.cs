using System.Diagnostics;
using Notify.Shared.Queue;

namespace Notify.Tests.Queue;

/// <summary>
/// What every <see cref="IMessageQueue"/> promises, run against each implementation by a derived class
/// that says how to create the queue and how to let its clock move on.
/// </summary>
public abstract class MessageQueueContractTests : IAsyncLifetime
{
    // Bounds awaits that only a defect would make hang, so a defect fails a test instead of the run.
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private IMessageQueue? _queue;

    protected IMessageQueue Queue => _queue ?? throw new InvalidOperationException("The queue is created in InitializeAsync.");

    /// <value>Long enough to pass time in whole seconds within it (SQS counts in seconds).</value>
    protected virtual TimeSpan VisibilityTimeout => TimeSpan.FromSeconds(30);

    /// <value>
    /// True when the queue keeps real time (a server), so time also passes while the test waits for it,
    /// not only in <see cref="PassTimeAsync"/>; waits are then measured by a stopwatch.
    /// </value>
    protected virtual bool UsesRealTime => false;

    /// <value>
    /// Whether a receipt handle from an earlier receive is refused once the message was received again.
    /// SQS does not promise it for standard queues (an older handle "might not succeed"), so a queue on
    /// SQS only has to keep the current holder's handle working.
    /// </value>
    protected virtual bool RefusesEarlierReceiptHandles => true;

    /// <value>
    /// Whether a message goes to exactly one of several concurrent receivers. An SQS standard queue
    /// delivers "at least once" and may occasionally hand a message out twice (moto does too, under
    /// concurrent receives), so a queue on SQS only has to hand out every message.
    /// </value>
    protected virtual bool HandsEachMessageOutOnce => true;

    protected abstract Task<IMessageQueue> CreateQueueAsync();

    /// <summary>Moves the queue's clock on: a manual clock where the queue takes one, real time where not.</summary>
    protected abstract Task PassTimeAsync(TimeSpan by);

    public async Task InitializeAsync() => _queue = await CreateQueueAsync();

    public virtual async Task DisposeAsync()
    {
        if (_queue is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task Receive_AfterSend_ReturnsMessageWithIdBodyAndFirstReceiveCount()
    {
        await SendAsync(("m-1", "hello"));

        var message = Assert.Single(await ReceiveNowAsync(10));

        Assert.Equal("m-1", message.Id);
        Assert.Equal("hello", message.Body);
        Assert.Equal(1, message.ReceiveCount);
        Assert.False(string.IsNullOrEmpty(message.ReceiptHandle));
    }

    [Fact]
    public async Task Receive_WhileMessageIsHidden_DoesNotReturnIt()
    {
        await SendAsync(("m-1", "hello"));
        Assert.Single(await ReceiveNowAsync(10));

        Assert.Empty(await ReceiveNowAsync(10));
        await PassTimeAsync(VisibilityTimeout - TimeSpan.FromSeconds(2));
        Assert.Empty(await ReceiveNowAsync(10));
    }

    [Fact]
    public async Task Receive_AfterVisibilityTimeout_ReturnsMessageAgain()
    {
        await SendAsync(("m-1", "hello"));
        var first = Assert.Single(await ReceiveNowAsync(10));

        await PassTimeAsync(VisibilityTimeout + TimeSpan.FromSeconds(1));
        var again = Assert.Single(await ReceiveNowAsync(10));

        Assert.Equal("m-1", again.Id);
        Assert.Equal("hello", again.Body);
        Assert.Equal(2, again.ReceiveCount);
        Assert.NotEqual(first.ReceiptHandle, again.ReceiptHandle);
    }

    [Fact]
    public async Task Delete_RemovesMessageForGood()
    {
        await SendAsync(("m-1", "hello"));
        var message = Assert.Single(await ReceiveNowAsync(10));

        await Queue.DeleteAsync(message.ReceiptHandle, CancellationToken.None);
        await PassTimeAsync(VisibilityTimeout + TimeSpan.FromSeconds(1));

        Assert.Empty(await ReceiveNowAsync(10));
        Assert.Equal(new QueueDepth(Waiting: 0, InFlight: 0, Delayed: 0), await Queue.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Delete_OfMessageAlreadyDeleted_Succeeds()
    {
        await SendAsync(("m-1", "hello"));
        var message = Assert.Single(await ReceiveNowAsync(10));
        await Queue.DeleteAsync(message.ReceiptHandle, CancellationToken.None);

        await Queue.DeleteAsync(message.ReceiptHandle, CancellationToken.None);
    }

    [Fact]
    public async Task ChangeVisibility_ToZero_HandsMessageBackAtOnce()
    {
        await SendAsync(("m-1", "hello"));
        var message = Assert.Single(await ReceiveNowAsync(10));

        Assert.True(await Queue.ChangeVisibilityAsync(message.ReceiptHandle, TimeSpan.Zero, CancellationToken.None));

        var again = Assert.Single(await ReceiveNowAsync(10));
        Assert.Equal("m-1", again.Id);
        Assert.Equal(2, again.ReceiveCount);
    }

    [Fact]
    public async Task ChangeVisibility_Longer_KeepsMessageHiddenPastFirstTimeout()
    {
        await SendAsync(("m-1", "hello"));
        var message = Assert.Single(await ReceiveNowAsync(10));

        Assert.True(await Queue.ChangeVisibilityAsync(message.ReceiptHandle, VisibilityTimeout * 2, CancellationToken.None));
        await PassTimeAsync(VisibilityTimeout + TimeSpan.FromSeconds(1));

        Assert.Empty(await ReceiveNowAsync(10));
    }

    [Fact]
    public async Task ChangeVisibility_WithHandleFromEarlierReceive_IsRefused_WhereTheQueueCanTell()
    {
        await SendAsync(("m-1", "hello"));
        var first = Assert.Single(await ReceiveNowAsync(10));
        await PassTimeAsync(VisibilityTimeout + TimeSpan.FromSeconds(1));
        var second = Assert.Single(await ReceiveNowAsync(10));

        var earlierAccepted = await Queue.ChangeVisibilityAsync(first.ReceiptHandle, TimeSpan.FromSeconds(30), CancellationToken.None);
        if (RefusesEarlierReceiptHandles)
        {
            Assert.False(earlierAccepted);
        }

        // Whatever the earlier handle did, the current holder's handle still controls the message.
        Assert.True(await Queue.ChangeVisibilityAsync(second.ReceiptHandle, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal("m-1", Assert.Single(await ReceiveNowAsync(10)).Id);
    }

    [Fact]
    public async Task ChangeVisibility_AfterDelete_ReturnsFalse()
    {
        await SendAsync(("m-1", "hello"));
        var message = Assert.Single(await ReceiveNowAsync(10));
        await Queue.DeleteAsync(message.ReceiptHandle, CancellationToken.None);

        Assert.False(await Queue.ChangeVisibilityAsync(message.ReceiptHandle, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_ReturnsAtMostMaxMessages()
    {
        await SendAsync(("m-1", "a"), ("m-2", "b"), ("m-3", "c"), ("m-4", "d"), ("m-5", "e"));

        var first = await ReceiveNowAsync(3);
        var rest = await ReceiveNowAsync(10);

        Assert.Equal(3, first.Count);
        Assert.Equal(2, rest.Count);
        Assert.Equal(
            ["m-1", "m-2", "m-3", "m-4", "m-5"],
            first.Concat(rest).Select(m => m.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Receive_ByConcurrentReceivers_HandsOutEveryMessage_ToOnlyOneWhereTheQueuePromisesIt()
    {
        var sent = Enumerable.Range(0, 40).Select(i => ($"m-{i}", $"body {i}")).ToArray();
        await SendAsync(sent);

        var receivers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = new List<ReceivedMessage>();
            while (await ReceiveNowAsync(3) is { Count: > 0 } batch)
            {
                mine.AddRange(batch);
            }

            return mine;
        }));
        var received = (await Task.WhenAll(receivers)).SelectMany(m => m).ToList();

        Assert.Equal(sent.Select(s => s.Item1).Order(StringComparer.Ordinal), received.Select(m => m.Id).Distinct().Order(StringComparer.Ordinal));
        if (HandsEachMessageOutOnce)
        {
            Assert.Equal(sent.Length, received.Count);
        }
    }

    [Fact]
    public async Task Receive_WhenMessageIsSentDuringWait_ReturnsItBeforeWaitTimeEnds()
    {
        var receive = Queue.ReceiveAsync(10, VisibilityTimeout, TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.False(receive.IsCompleted);

        await SendAsync(("m-1", "hello"));

        // A queue on a manual clock can only return here by being woken: the clock does not move.
        var message = Assert.Single(await receive.WaitAsync(Patience));
        Assert.Equal("m-1", message.Id);
    }

    [Fact]
    public async Task Receive_WhenNothingArrives_ReturnsEmptyAfterWaitTime()
    {
        var waitTime = TimeSpan.FromSeconds(2);

        var receive = Queue.ReceiveAsync(10, VisibilityTimeout, waitTime, CancellationToken.None);
        var passed = await PassTimeUntilCompletedAsync(receive, TimeSpan.FromMilliseconds(100), waitTime + Patience);

        Assert.Empty(await receive);
        Assert.True(passed >= waitTime, $"Returned after {passed}, before the wait time of {waitTime}.");
    }

    [Fact]
    public async Task Receive_WhenCancelledDuringWait_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var receive = Queue.ReceiveAsync(10, VisibilityTimeout, TimeSpan.FromSeconds(20), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(Patience));
    }

    [Fact]
    public async Task GetDepth_CountsWaitingAndInFlightMessages()
    {
        await SendAsync(("m-1", "a"), ("m-2", "b"), ("m-3", "c"));
        Assert.Single(await ReceiveNowAsync(1));

        Assert.Equal(new QueueDepth(Waiting: 2, InFlight: 1, Delayed: 0), await Queue.GetDepthAsync(CancellationToken.None));

        await PassTimeAsync(VisibilityTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(new QueueDepth(Waiting: 3, InFlight: 0, Delayed: 0), await Queue.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Send_WithDelay_IsNotReceivedBeforeTheDelay_AndIsAfterIt()
    {
        // Two seconds: whole seconds for SQS, short enough for a server that keeps real time.
        var delay = TimeSpan.FromSeconds(2);
        var sinceBeforeSend = Stopwatch.StartNew();
        await Queue.SendBatchAsync([new OutgoingMessage("m-1", "hello", delay)], CancellationToken.None);

        Assert.Empty(await ReceiveNowAsync(10));

        // A long poll started before the delay ends returns the message once it has passed.
        var receive = Queue.ReceiveAsync(10, VisibilityTimeout, TimeSpan.FromSeconds(20), CancellationToken.None);
        var passed = UsesRealTime
            ? await WaitForAsync(receive, TimeSpan.FromSeconds(20) + Patience, sinceBeforeSend)
            : await PassTimeUntilCompletedAsync(receive, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(20));

        var message = Assert.Single(await receive);
        Assert.Equal("m-1", message.Id);
        Assert.Equal("hello", message.Body);
        Assert.Equal(1, message.ReceiveCount);
        Assert.True(passed >= delay, $"Received {passed} after the send, before its delay of {delay}.");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData((15 * 60 * 1000) + 1)]
    public async Task Send_WithDelayOutsideZeroToFifteenMinutes_ThrowsArgumentOutOfRange_AndStoresNothing(int delayMs)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Queue.SendBatchAsync(
            [new OutgoingMessage("m-1", "a"), new OutgoingMessage("m-2", "b", TimeSpan.FromMilliseconds(delayMs))],
            CancellationToken.None));

        Assert.Equal(new QueueDepth(Waiting: 0, InFlight: 0, Delayed: 0), await Queue.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetDepth_CountsDelayedMessagesApartFromWaitingAndInFlight()
    {
        await Queue.SendBatchAsync(
            [
                new OutgoingMessage("m-1", "a"),
                new OutgoingMessage("m-2", "b", TimeSpan.FromMinutes(10)),
                new OutgoingMessage("m-3", "c", TimeSpan.FromMinutes(15)),
            ],
            CancellationToken.None);
        Assert.Equal(new QueueDepth(Waiting: 1, InFlight: 0, Delayed: 2), await Queue.GetDepthAsync(CancellationToken.None));

        Assert.Equal("m-1", Assert.Single(await ReceiveNowAsync(10)).Id);

        Assert.Equal(new QueueDepth(Waiting: 0, InFlight: 1, Delayed: 2), await Queue.GetDepthAsync(CancellationToken.None));
    }

    protected Task SendAsync(params (string Id, string Body)[] messages) =>
        Queue.SendBatchAsync(messages.Select(m => new OutgoingMessage(m.Id, m.Body)).ToArray(), CancellationToken.None);

    protected Task<IReadOnlyList<ReceivedMessage>> ReceiveNowAsync(int maxMessages) =>
        Queue.ReceiveAsync(maxMessages, VisibilityTimeout, TimeSpan.Zero, CancellationToken.None);

    /// <summary>Waits for a task that real time completes; returns the time on <paramref name="since"/> then.</summary>
    private static async Task<TimeSpan> WaitForAsync(Task task, TimeSpan limit, Stopwatch since)
    {
        await task.WaitAsync(limit);
        return since.Elapsed;
    }

    /// <summary>Lets time pass in steps until the task completes; returns how much time passed.</summary>
    protected async Task<TimeSpan> PassTimeUntilCompletedAsync(Task task, TimeSpan step, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        var passed = TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            Assert.True(Passed() < limit, $"Still not completed after {Passed()}.");
            await PassTimeAsync(step);
            passed += step;

            // Lets the queue act on the new time before the clock moves again; not a timing assertion.
            await Task.WhenAny(task, Task.Delay(20));
        }

        return Passed();

        TimeSpan Passed() => UsesRealTime ? stopwatch.Elapsed : passed;
    }
}
