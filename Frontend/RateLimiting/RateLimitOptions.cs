using Microsoft.Extensions.Options;

namespace Notify.Frontend.RateLimiting;

/// <summary>
/// Default throttling of each API key (section <c>Notify:RateLimit</c>): a token bucket per key for
/// publishing and one for every other call. Nothing set means nothing is throttled; a key's own limits
/// (set when it was created) take the place of these. The admin key is never throttled.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Notify:RateLimit";

    /// <summary>The most rates allow: beyond this a limit is no limit and only costs bookkeeping.</summary>
    internal const double MaxPerSecond = 1_000_000;

    /// <summary>Publishes per second a key may sustain (fractions allowed: 0.5 is one every 2 s).</summary>
    /// <value>The default is none: publishing is not throttled.</value>
    public double? PublishPerSecond { get; set; }

    /// <summary>Publishes a key may make at once after a quiet spell (the bucket's size).</summary>
    /// <value>The default is one second's worth of <see cref="PublishPerSecond"/>, at least 1.</value>
    public int? PublishBurst { get; set; }

    /// <summary>Calls per second other than publishing that a key may sustain.</summary>
    /// <value>The default is none: these calls are not throttled.</value>
    public double? RequestsPerSecond { get; set; }

    /// <summary>Calls other than publishing a key may make at once after a quiet spell.</summary>
    /// <value>The default is one second's worth of <see cref="RequestsPerSecond"/>, at least 1.</value>
    public int? RequestsBurst { get; set; }

    internal TokenBucket? Publish => TokenBucket.From(PublishPerSecond, PublishBurst);

    internal TokenBucket? Requests => TokenBucket.From(RequestsPerSecond, RequestsBurst);
}

/// <summary>A wrong limit stops the start with the setting's name, not the first throttled call.</summary>
internal sealed class RateLimitOptionsValidation : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        Check(failures, "PublishPerSecond", "PublishBurst", options.PublishPerSecond, options.PublishBurst);
        Check(failures, "RequestsPerSecond", "RequestsBurst", options.RequestsPerSecond, options.RequestsBurst);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string rateName, string burstName, double? rate, int? burst)
    {
        if (rate is { } perSecond && !(perSecond > 0 && perSecond <= RateLimitOptions.MaxPerSecond))
        {
            failures.Add($"{RateLimitOptions.SectionName}:{rateName} must be a number above 0 and at most {RateLimitOptions.MaxPerSecond:0} (it is {perSecond}).");
        }

        if (burst is { } size && size < 1)
        {
            failures.Add($"{RateLimitOptions.SectionName}:{burstName} must be at least 1 (it is {size}).");
        }

        if (burst is not null && rate is null)
        {
            failures.Add($"{RateLimitOptions.SectionName}:{burstName} is set without {RateLimitOptions.SectionName}:{rateName}; set the rate too, or neither.");
        }
    }
}
