using System.Net.Http.Json;
using System.Net;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>
/// Throttling as a client meets it: scoped keys get their buckets (their own limits, else the configured
/// ones), and the admin key is never throttled, whatever the configured limits: a fresh install publishes
/// as fast as the machine allows. (The middleware's every case is in Notify.Tests' ThrottlingTests.)
/// </summary>
public sealed class ThrottlingTests
{
    private static readonly string[] Publish = ["publish"];
    private static readonly string[] Orders = ["orders"];

    [Fact]
    public async Task AdminKey_WithTinyConfiguredLimits_IsNeverThrottled()
    {
        await using var notify = await NotifyService.StartAsync(new Dictionary<string, string?>
        {
            ["Notify:RateLimit:PublishPerSecond"] = "1",
            ["Notify:RateLimit:PublishBurst"] = "1",
            ["Notify:RateLimit:RequestsPerSecond"] = "1",
            ["Notify:RateLimit:RequestsBurst"] = "1",
        });
        await notify.Client.CreateTopicAsync("orders");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            using var published = await notify.Client.Http.PostAsJsonAsync("v1/topics/orders/messages", new { message = $"m{i}" });
            using var read = await notify.Client.Http.GetAsync("v1/topics/orders");
            statuses.Add(published.StatusCode);
            statuses.Add(read.StatusCode);
        }

        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task ScopedKeys_AreThrottled_ByTheirOwnLimits_ElseTheConfiguredOnes_EachInItsOwnBucket()
    {
        // One token per 100 s: no bucket refills while the test runs, however slow the machine.
        await using var notify = await NotifyService.StartAsync(new Dictionary<string, string?>
        {
            ["Notify:RateLimit:PublishPerSecond"] = "0.01",
            ["Notify:RateLimit:PublishBurst"] = "1",
        });
        await notify.Client.CreateTopicAsync("orders");
        var configured = await CreateKeyAsync(notify, new { name = "configured", permissions = Publish, topics = Orders });
        var own = await CreateKeyAsync(notify, new
        {
            name = "own",
            permissions = Publish,
            topics = Orders,
            rateLimit = new { publishPerSecond = 0.01, publishBurst = 3 },
        });

        using var configuredClient = new NotifyClient(notify.Process.BaseAddress, configured);
        using var ownClient = new NotifyClient(notify.Process.BaseAddress, own);
        Assert.Equal([202, 429], await PublishAsync(configuredClient, 2));
        Assert.Equal([202, 202, 202, 429], await PublishAsync(ownClient, 4));

        using var throttled = await configuredClient.Http.PostAsJsonAsync("v1/topics/orders/messages", new { message = "again" });
        await ProblemAssert.IsProblemAsync(throttled, 429, "per second");
        Assert.True(throttled.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {throttled.Headers.RetryAfter}");

        // The admin key shares no bucket with them.
        Assert.Equal([202, 202, 202], await PublishAsync(notify.Client, 3));
    }

    private static async Task<string> CreateKeyAsync(NotifyService notify, object body)
    {
        using var created = await notify.Client.Http.PostAsJsonAsync("v1/keys", body);
        return (await NotifyClient.ExpectJsonAsync(created, 201)).GetProperty("key").GetString()!;
    }

    private static async Task<List<int>> PublishAsync(NotifyClient client, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var published = await client.Http.PostAsJsonAsync("v1/topics/orders/messages", new { message = $"m{i}" });
            statuses.Add((int)published.StatusCode);
        }

        return statuses;
    }
}
