using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Frontend.RateLimiting;

namespace Notify.Tests.Frontend.RateLimiting;

public sealed class RateLimitOptionsTests
{
    [Theory]
    [InlineData(1, 1, 1, 1_000)]      // one token a second
    [InlineData(0.5, 1, 1, 2_000)]    // one every two seconds
    [InlineData(100, 50, 10, 100)]    // ten per heartbeat, so no refill is lost between heartbeats
    [InlineData(100, 3, 3, 30)]       // never more per refill than the bucket holds
    [InlineData(25, 25, 3, 120)]      // 3 tokens per 120 ms is 25 per second
    public void Bucket_RefillsAtTheRate(double perSecond, int burst, int tokensPerRefill, int refillMilliseconds)
    {
        var options = new TokenBucket(perSecond, burst).LimiterOptions();

        Assert.Equal(burst, options.TokenLimit);
        Assert.Equal(tokensPerRefill, options.TokensPerPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(refillMilliseconds), options.ReplenishmentPeriod);
        Assert.Equal(0, options.QueueLimit);
    }

    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(2.5, 3)]
    [InlineData(40, 40)]
    public void Burst_DefaultsToOneSecondsWorth(double perSecond, int burst) =>
        Assert.Equal(burst, TokenBucket.From(perSecond, null)!.Burst);

    [Fact]
    public void NoRate_NoBucket() => Assert.Null(new RateLimitOptions().Publish);

    [Theory]
    [InlineData("PublishPerSecond", "0", "Notify:RateLimit:PublishPerSecond must be a number above 0")]
    [InlineData("RequestsPerSecond", "-3", "Notify:RateLimit:RequestsPerSecond must be a number above 0")]
    [InlineData("RequestsPerSecond", "2000000", "Notify:RateLimit:RequestsPerSecond must be a number above 0 and at most 1000000")]
    [InlineData("PublishBurst", "5", "Notify:RateLimit:PublishBurst is set without Notify:RateLimit:PublishPerSecond")]
    public async Task WrongLimit_StopsTheStart_NamingTheSetting(string key, string value, string message)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"Notify:RateLimit:{key}"] = value });
        builder.Services.AddNotifyRateLimiting();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BurstBelowOne_IsRefused()
    {
        var result = new RateLimitOptionsValidation().Validate(null, new RateLimitOptions { RequestsPerSecond = 5, RequestsBurst = 0 });
        Assert.Equal("Notify:RateLimit:RequestsBurst must be at least 1 (it is 0).", Assert.Single(result.Failures!));
    }
}
