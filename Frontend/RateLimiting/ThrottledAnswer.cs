using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Notify.Frontend.RateLimiting;

/// <summary>
/// The 429 for a call over its key's limit: a problem saying the limit and when to retry, and
/// <c>Retry-After</c> in whole seconds (rounded up, so a client that waits exactly that long finds a token).
/// </summary>
internal static class ThrottledAnswer
{
    public static async ValueTask WriteAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        var defaults = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var publish = RateLimitingRegistration.IsPublish(context);
        var bucket = publish ? KeyLimits.Publish(context.User, defaults) : KeyLimits.Requests(context.User, defaults);
        var what = publish ? "publish" : "make calls other than publishing";
        var limit = bucket is null ? "" : $" at {bucket.RateText}, with bursts of at most {bucket.Burst}";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"This API key may {what}{limit}; retry after {seconds} second{(seconds == 1 ? "" : "s")} (Retry-After).",
            },
        });
    }
}
