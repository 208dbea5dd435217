using System.Net.Http.Headers;

namespace Notify.Sender.Channels;

/// <summary>The wait a <c>Retry-After</c> header asks for, as seconds or as an HTTP date on the injected clock.</summary>
internal static class RetryAfterHeader
{
    /// <returns>The wait, never negative; null when the header is absent.</returns>
    public static TimeSpan? Delay(RetryConditionHeaderValue? header, TimeProvider clock)
    {
        var delay = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - clock.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}
