using Notify.Metadata.Deliveries;
using Notify.Shared.Resilience;

namespace Notify.Sender.Delivery;

/// <summary>
/// A delivery's <see cref="RetryPlan"/>: its schedule's retries that are due within
/// <paramref name="inProcessLimit"/> are made in this process, holding the delivery's slot; the first that
/// is due later ends the call, and the caller schedules it on the queue. A Retry-After longer than the
/// schedule's wait takes its place. A paced delivery's plan waits for the subscription's next send turn
/// (<paramref name="pace"/>) just before the request goes out.
/// </summary>
internal sealed class SchedulePlan(RetrySchedule schedule, int firstAttempt, TimeSpan inProcessLimit, Func<CancellationToken, Task>? pace = null)
    : RetryPlan(firstAttempt)
{
    public RetrySchedule Schedule => schedule;

    public override Task WaitToSendAsync(CancellationToken cancellationToken) => pace?.Invoke(cancellationToken) ?? Task.CompletedTask;

    public override TimeSpan? InProcessWait(int attempt, TimeSpan? retryAfter) =>
        NextWait(schedule, attempt, retryAfter) is { } wait && wait <= inProcessLimit ? wait : null;

    /// <summary>
    /// The wait after attempt <paramref name="attempt"/> failed: the schedule's, or the server's Retry-After
    /// when longer (at most a schedule's longest wait); null when the schedule has no more attempts.
    /// </summary>
    public static TimeSpan? NextWait(RetrySchedule schedule, int attempt, TimeSpan? retryAfter)
    {
        if (schedule.WaitAfter(attempt) is not { } wait)
        {
            return null;
        }

        var asked = retryAfter is { } after ? TimeSpan.FromSeconds(Math.Min(after.TotalSeconds, RetrySchedule.MaxWaitSeconds)) : TimeSpan.Zero;
        return asked > wait ? asked : wait;
    }
}
