using System.Net;
using System.Text.Json;
using Notify.Frontend.Keys;
using Notify.Frontend.RateLimiting;

namespace Notify.Tests.Frontend.RateLimiting;

/// <summary>
/// Throttling by key through a real pipeline. Rates are tiny (one token per 100 s) wherever a test
/// counts on no refill happening while it runs, so that no test depends on how fast the machine is.
/// </summary>
public sealed class ThrottlingTests
{
    private const string Slow = "0.01"; // one token per 100 s

    [Fact]
    public async Task Publish_OverTheKeysBurst_Answers429ProblemWithRetryAfter()
    {
        await using var app = await ThrottledApp.StartAsync(new Dictionary<string, string?> { ["PublishPerSecond"] = Slow, ["PublishBurst"] = "2" });

        Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("key-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("key-1")).StatusCode);
        using var throttled = await app.PublishAsync("key-1");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(100, ThrottledApp.RetryAfterSeconds(throttled));
        using var problem = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(
            "This API key may publish at 0.01 per second, with bursts of at most 2; retry after 100 seconds (Retry-After).",
            problem.RootElement.GetProperty("detail").GetString());

        // Each key has its own bucket, and publishing does not use up the bucket of the other calls.
        Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("key-2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ReadAsync("key-1")).StatusCode);
    }

    [Fact]
    public async Task ThrottledCall_IsInTheAuditTrail()
    {
        await using var app = await ThrottledApp.StartAsync(new Dictionary<string, string?> { ["PublishPerSecond"] = Slow, ["PublishBurst"] = "1" });
        Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("key-1")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.PublishAsync("key-1")).StatusCode);

        var events = app.Logs.GetSnapshot().Where(r => r.Id.Name == "AuditEvent").ToList();
        Assert.Equal(["success", "throttled"], events.Select(e => e.GetStructuredStateValue("Outcome")));
        var throttled = events[1];
        Assert.Equal(("key-1", "Publish", "/" + ThrottledApp.PublishPath, "429"), (
            throttled.GetStructuredStateValue("KeyId"), throttled.GetStructuredStateValue("Action"),
            throttled.GetStructuredStateValue("Target"), throttled.GetStructuredStateValue("Status")));
    }

    [Fact]
    public async Task OtherCalls_OverTheKeysBurst_Answer429_WhilePublishingGoesOn()
    {
        await using var app = await ThrottledApp.StartAsync(new Dictionary<string, string?> { ["RequestsPerSecond"] = Slow, ["RequestsBurst"] = "3" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.ReadAsync("key-1")).StatusCode);
        }

        using var throttled = await app.ReadAsync("key-1");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(100, ThrottledApp.RetryAfterSeconds(throttled));
        Assert.Contains("may make calls other than publishing at 0.01 per second, with bursts of at most 3", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("key-1")).StatusCode);
        }
    }

    [Fact]
    public async Task AdminKey_IsNeverThrottled()
    {
        await using var app = await ThrottledApp.StartAsync(new Dictionary<string, string?>
        {
            ["PublishPerSecond"] = Slow, ["PublishBurst"] = "1", ["RequestsPerSecond"] = Slow, ["RequestsBurst"] = "1",
        });

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("admin:1234", ApiKeyClaims.AdminRole)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.ReadAsync("admin:1234", ApiKeyClaims.AdminRole)).StatusCode);
        }

        // The same limits do hold for a key without the role.
        Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("key-1")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.PublishAsync("key-1")).StatusCode);
    }

    [Fact]
    public async Task KeysOwnLimits_TakeThePlaceOfTheDefaults()
    {
        await using var app = await ThrottledApp.StartAsync(new Dictionary<string, string?> { ["PublishPerSecond"] = "1000", ["PublishBurst"] = "1000" });
        string[] own = [$"{ApiKeyClaims.PublishPerSecond}={Slow}", $"{ApiKeyClaims.PublishBurst}=1", $"{ApiKeyClaims.RequestsPerSecond}={Slow}", $"{ApiKeyClaims.RequestsBurst}=2"];

        Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("limited", null, own)).StatusCode);
        using var throttled = await app.PublishAsync("limited", null, own);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("publish at 0.01 per second, with bursts of at most 1", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The key's own request limit holds although no default is configured for other calls.
        Assert.Equal(HttpStatusCode.OK, (await app.ReadAsync("limited", null, own)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ReadAsync("limited", null, own)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.ReadAsync("limited", null, own)).StatusCode);

        // A key without its own limits has the configured ones.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("plain")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.ReadAsync("plain")).StatusCode);
        }
    }

    [Fact]
    public async Task NothingConfigured_NothingIsThrottled()
    {
        await using var app = await ThrottledApp.StartAsync(new Dictionary<string, string?>());

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await app.PublishAsync("key-1")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.ReadAsync("key-1")).StatusCode);
        }
    }

    [Fact]
    public async Task CallsWithoutAKey_AreNotThrottledByKey()
    {
        await using var app = await ThrottledApp.StartAsync(new Dictionary<string, string?>
        {
            ["PublishPerSecond"] = Slow, ["PublishBurst"] = "1", ["RequestsPerSecond"] = Slow, ["RequestsBurst"] = "1",
        });

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.CallAsync(HttpMethod.Get, ThrottledApp.LinkPath, keyId: null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.PublishAsync(keyId: null)).StatusCode);
        }
    }

    [Fact]
    public async Task ThrottledKey_GetsTokensBackAtItsRate()
    {
        // 2 per second with a burst of 1: a token every 500 ms, so Retry-After rounds up to 1 s. A slow
        // machine may see a refill between two calls, so the test publishes until it is throttled.
        await using var app = await ThrottledApp.StartAsync(new Dictionary<string, string?> { ["PublishPerSecond"] = "2", ["PublishBurst"] = "1" });
        HttpResponseMessage? throttled = null;
        for (var i = 0; i < 50 && throttled is null; i++)
        {
            var response = await app.PublishAsync("key-1");
            throttled = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(throttled);
        Assert.Equal(1, ThrottledApp.RetryAfterSeconds(throttled));

        // The limiter refills on its own real-time heartbeat (it takes no TimeProvider): wait for the
        // refill with a generous deadline rather than a guessed sleep.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(TokenBucket.Heartbeat);
            status = (await app.PublishAsync("key-1")).StatusCode;
        }
        while (status == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.Accepted, status);
    }
}
