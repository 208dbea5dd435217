using System.Net.Http.Headers;

namespace Notify.Shared.Resilience;

/// <summary>
/// The one reader of <c>Retry-After</c> (webhook endpoints, Twilio, anything else Notify calls over HTTP):
/// the wait it asks for, given as seconds or as an HTTP date, measured from the injected clock's now.
/// </summary>
public static class RetryAfterHeader
{
    /// <returns>The wait, never negative (a date already past asks for none); null when the header is absent.</returns>
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
