using System.Net.Http.Json;
using System.Net;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>
/// The admin key is never throttled, whatever the configured limits: a fresh install publishes as fast
/// as the machine allows. (Keys that are throttled are tested through the middleware itself, in
/// Notify.Tests' ThrottlingTests.)
/// </summary>
public sealed class ThrottlingTests
{
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
}
