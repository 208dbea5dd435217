namespace Notify.Sender.Channels;

/// <summary>
/// Exponential backoff with "equal" jitter: retry n waits a random time in
/// [BaseDelay·2ⁿ/2, BaseDelay·2ⁿ], capped at MaxDelay. The jitter spreads retries of many deliveries (webhook, email, SMS) that
/// failed together; keeping the lower half fixed means each wait is at least as long as the one before.
/// </summary>
internal static class RetryBackoff
{
    // 2^30 times any sensible base delay is already past every cap; this keeps the arithmetic finite.
    private const int MaxExponent = 30;

    /// <param name="retry">0 for the first retry.</param>
    /// <param name="random">A value in [0, 1).</param>
    public static TimeSpan Delay(int retry, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var ceiling = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(retry, 0, MaxExponent));
        var milliseconds = ceiling * (0.5 + (0.5 * Math.Clamp(random, 0, 1)));
        return milliseconds >= maxDelay.TotalMilliseconds ? maxDelay : TimeSpan.FromMilliseconds(milliseconds);
    }
}
