using System.Collections.Concurrent;
using Notify.Metadata.Model;
using Notify.Sender.Channels;
using Notify.Shared.Messages;
using Notify.Shared.Resilience;

namespace Notify.Tests.Sender.Support;

/// <summary>
/// A channel whose answer per subscription the test chooses (default: delivered at the first attempt),
/// recording who was called. <see cref="Block"/> holds a subscriber's delivery until the test releases it.
/// </summary>
internal sealed class ScriptedChannel(Protocol protocol = Protocol.Webhook) : IDeliveryChannel
{
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task<DeliveryResult>>> _answers = new();
    private readonly ConcurrentQueue<(string SubscriptionId, bool Confirmation)> _calls = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
    private readonly ConcurrentQueue<Notification> _delivered = new();
    private readonly ConcurrentQueue<RetryPlan?> _plans = new();

    public Protocol Protocol => protocol;

    /// <summary>The channel's own bulkhead; null for the Sender's shared figure.</summary>
    public int? MaxConcurrent { get; init; }

    public IReadOnlyCollection<(string SubscriptionId, bool Confirmation)> Calls => _calls.ToArray();

    /// <summary>The notifications handed to <see cref="DeliverAsync"/>, one per call.</summary>
    public IReadOnlyCollection<Notification> Delivered => _delivered.ToArray();

    public void Answer(string subscriptionId, Func<CancellationToken, Task<DeliveryResult>> answer) => _answers[subscriptionId] = answer;

    /// <summary>Every attempt fails, transiently unless <paramref name="permanent"/>: one attempt per call.</summary>
    public void GiveUp(string subscriptionId, string status, string code = "http:503", bool permanent = false) =>
        Answer(subscriptionId, _ => Task.FromResult(DeliveryResult.GaveUp(1, status, code) with { Permanent = permanent }));

    /// <summary>Fails <paramref name="failures"/> calls transiently, then delivers.</summary>
    public void FailThenDeliver(string subscriptionId, int failures, string status = "HTTP 503")
    {
        var left = failures;
        Answer(subscriptionId, _ => Task.FromResult(
            Interlocked.Decrement(ref left) >= 0 ? DeliveryResult.GaveUp(1, status, "http:503") : DeliveryResult.Success(1, "HTTP 200")));
    }

    public void Throw(string subscriptionId) =>
        Answer(subscriptionId, _ => Task.FromException<DeliveryResult>(new InvalidOperationException("channel bug")));

    /// <summary>The subscriber's delivery waits for the returned gate (or for cancellation).</summary>
    public TaskCompletionSource Block(string subscriptionId)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Answer(subscriptionId, async cancellationToken =>
        {
            await gate.Task.WaitAsync(cancellationToken);
            return DeliveryResult.Success(1, "HTTP 200");
        });
        return gate;
    }

    /// <summary>Completes once the subscriber's delivery has begun.</summary>
    public Task WhenStartedAsync(string subscriptionId) => Eventually.Within(Started(subscriptionId).Task);

    /// <summary>The plans the deliveries were called with, one per call.</summary>
    public IReadOnlyCollection<RetryPlan?> Plans => _plans.ToArray();

    /// <summary>The clock of the attempts' times in results' histories.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public async Task<DeliveryResult> DeliverAsync(Notification notification, Subscription subscription, RetryPlan? plan, CancellationToken cancellationToken)
    {
        _delivered.Enqueue(notification);
        _plans.Enqueue(plan);
        var result = await Run(subscription.Id, confirmation: false, cancellationToken);

        // As a real channel does: each attempt of the call, numbered from the plan's first.
        var first = plan?.FirstAttempt ?? 1;
        var now = Clock.GetUtcNow();
        return result.History.Count > 0
            ? result
            : result with { History = [.. Enumerable.Range(first, result.Attempts).Select(number => DeliveryAttempt.Of(number, now, result.LastStatus))] };
    }

    public Task<DeliveryResult> ConfirmAsync(Subscription subscription, CancellationToken cancellationToken) =>
        Run(subscription.Id, confirmation: true, cancellationToken);

    private Task<DeliveryResult> Run(string subscriptionId, bool confirmation, CancellationToken cancellationToken)
    {
        _calls.Enqueue((subscriptionId, confirmation));
        Started(subscriptionId).TrySetResult();
        return _answers.TryGetValue(subscriptionId, out var answer)
            ? answer(cancellationToken)
            : Task.FromResult(DeliveryResult.Success(1, "HTTP 200"));
    }

    private TaskCompletionSource Started(string subscriptionId) =>
        _started.GetOrAdd(subscriptionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
}
