namespace Notify.Metadata.Deliveries.Pacing;

/// <summary>
/// Where paced subscriptions' turns are kept: in <c>deliveries.db</c> or the deliveries table, the store every
/// Sender of an installation shares, so a subscription's pace holds however many Senders deliver to it.
/// </summary>
/// <remarks>
/// A line is a GCRA schedule without burst: each turn is <c>max(now, the line's next free turn)</c>, and the
/// turn after it is one interval later. Taking a turn is one atomic step, so two Senders never get the same
/// one. Times are this process's clock (<see cref="TimeProvider"/>); hosts whose clocks differ by ε shift
/// each other's turns by ε at most.
/// </remarks>
public interface IPaceStore
{
    /// <summary>Takes the next turn on <paramref name="line"/>, whose turns are <paramref name="interval"/> apart: now, or a later time to wait for.</summary>
    Task<DateTimeOffset> TakeTurnAsync(string line, TimeSpan interval, CancellationToken cancellationToken);
}
