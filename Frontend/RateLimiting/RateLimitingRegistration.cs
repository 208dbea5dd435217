using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Notify.Frontend.RateLimiting;

/// <summary>
/// Throttling by API key on ASP.NET Core's rate limiting middleware: publishing is on the
/// <see cref="PublishPolicy"/> (a bucket per key), every other authenticated <c>/v1</c> call on the
/// global limiter (a second bucket per key). The admin key and unauthenticated calls are not partitioned
/// by key and not throttled: a call without a valid key is refused by authorization anyway, and the
/// confirm and unsubscribe links are opened by recipients, whose addresses behind a load balancer would
/// all be the balancer's (limit those at the proxy, where the client's address is known).
/// </summary>
internal static class RateLimitingRegistration
{
    public const string PublishPolicy = "publish";

    public static IServiceCollection AddNotifyRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidation>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = ThrottledAnswer.WriteAsync;
            limiter.AddPolicy(PublishPolicy, context => Partition(context, limits.Value, publish: true));
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsPublish(context) || !context.Request.Path.StartsWithSegments("/v1")
                    ? Unlimited
                    : Partition(context, limits.Value, publish: false));
        });
        return services;
    }

    /// <summary>Whether the call is counted against the publish bucket (and so not against the other).</summary>
    public static bool IsPublish(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == PublishPolicy;

    private static readonly RateLimitPartition<string> Unlimited = RateLimitPartition.GetNoLimiter(string.Empty);

    /// <summary>
    /// The caller's bucket; the key is looked at first, so the admin key and unauthenticated calls (never
    /// throttled) cost no reading of limit claims on every call.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions defaults, bool publish)
    {
        if (KeyLimits.ThrottledKey(context.User) is not { } key)
        {
            return Unlimited;
        }

        var bucket = publish ? KeyLimits.Publish(context.User, defaults) : KeyLimits.Requests(context.User, defaults);
        return bucket is null ? Unlimited : RateLimitPartition.GetTokenBucketLimiter(bucket.PartitionOf(key), _ => bucket.LimiterOptions());
    }
}
