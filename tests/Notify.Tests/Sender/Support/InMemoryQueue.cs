using System.Collections.Concurrent;
using System.Threading.Channels;
using Notify.Shared.Queue;

namespace Notify.Tests.Sender.Support;

/// <summary>
/// A tiny queue double: receives long-poll (real time) over a channel of messages, and every send, delete
/// and visibility change is recorded and can be awaited. It does not re-deliver anything: a test hands a
/// sent message back with <see cref="Receive"/>.
/// </summary>
internal sealed class InMemoryQueue : IMessageQueue
{
    private readonly Channel<ReceivedMessage> _visible = Channel.CreateUnbounded<ReceivedMessage>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _deleted = new();
    private readonly ConcurrentQueue<(string Handle, TimeSpan Timeout)> _visibilityChanges = new();
    private readonly ConcurrentQueue<OutgoingMessage> _sent = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _receives;
    private int _failuresToThrow;

    public int Receives => Volatile.Read(ref _receives);

    public IReadOnlyCollection<string> Deleted => _deleted.Where(d => d.Value.Task.IsCompleted).Select(d => d.Key).ToArray();

    public IReadOnlyCollection<(string Handle, TimeSpan Timeout)> VisibilityChanges => _visibilityChanges.ToArray();

    /// <summary>Makes the next <paramref name="count"/> receives throw, as a queue that is down would.</summary>
    public void FailNextReceives(int count) => Volatile.Write(ref _failuresToThrow, count);

    public ReceivedMessage Enqueue(string id, string body, int receiveCount = 1)
    {
        var message = new ReceivedMessage(id, $"receipt-{id}", body, receiveCount, DateTimeOffset.UnixEpoch);
        _visible.Writer.TryWrite(message);
        return message;
    }

    /// <summary>What was sent, in order.</summary>
    public IReadOnlyList<OutgoingMessage> Sent => _sent.ToArray();

    public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            _sent.Enqueue(message);
        }

        Signal();
        return Task.CompletedTask;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have been sent.</summary>
    public Task WhenSentAsync(int count) => Eventually.Within(WaitUntilAsync(() => _sent.Count >= count));

    /// <summary>Makes a sent message visible, as the queue would once its delay passed.</summary>
    public ReceivedMessage Receive(OutgoingMessage sent, int receiveCount = 1) => Enqueue(sent.Id, sent.Body, receiveCount);

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(
        int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _receives);
        if (Interlocked.Decrement(ref _failuresToThrow) >= 0)
        {
            throw new InvalidOperationException("The queue is down.");
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(waitTime);
        try
        {
            await _visible.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }

        var batch = new List<ReceivedMessage>();
        while (batch.Count < maxMessages && _visible.Reader.TryRead(out var message))
        {
            batch.Add(message);
        }

        return batch;
    }

    public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        _deleted.GetOrAdd(receiptHandle, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        Signal();
        return Task.CompletedTask;
    }

    public Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        _visibilityChanges.Enqueue((receiptHandle, visibilityTimeout));
        Signal();
        return Task.FromResult(true);
    }

    public Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task WhenDeletedAsync(ReceivedMessage message) =>
        Eventually.Within(_deleted.GetOrAdd(message.ReceiptHandle, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task);

    public bool IsDeleted(ReceivedMessage message) =>
        _deleted.TryGetValue(message.ReceiptHandle, out var deleted) && deleted.Task.IsCompleted;

    /// <summary>Waits until the message's visibility has been set to <paramref name="timeout"/> (zero = handed back).</summary>
    public Task WhenVisibilityChangedAsync(ReceivedMessage message, TimeSpan timeout, int times = 1) =>
        Eventually.Within(WaitUntilAsync(() => VisibilityChangesOf(message, timeout) >= times));

    public int VisibilityChangesOf(ReceivedMessage message, TimeSpan timeout) =>
        _visibilityChanges.Count(change => change == (message.ReceiptHandle, timeout));

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            await changed;
        }
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
