using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// <c>/metrics</c> on a real Frontend and a real standalone Sender: Prometheus text, no key needed, and
/// 404 when <c>Notify:Metrics:Enabled</c> is false.
/// </summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Frontend_ServesMetricsWithoutAKey_CountingAcceptedPublishesButNotDuplicates()
    {
        await using var notify = await NotifyService.StartAsync();
        await notify.ExplainFailureAsync(output, async () =>
        {
            await notify.Client.CreateTopicAsync("counted");
            await notify.Client.PublishAsync("counted", new { message = "one" }, idempotencyKey: "same");
            var repeat = await notify.Client.PublishAsync("counted", new { message = "one" }, idempotencyKey: "same");
            await notify.Client.PublishAsync("counted", new { message = "two" });
            Assert.True(repeat.GetProperty("duplicate").GetBoolean());

            using var anonymous = new HttpClient { BaseAddress = notify.Process.BaseAddress };
            var scrape = await MetricsScrape.UntilAsync(
                notify.Process.BaseAddress, text => MetricsScrape.Value(text, "notify_messages_published_total") == 2, "2 messages published", Patience);
            Assert.Contains("http_server_request_duration_seconds", scrape, StringComparison.Ordinal);
            // The runtime's meter: what a publish allocates and how the GC keeps up.
            Assert.True(MetricsScrape.Value(scrape, "dotnet_gc_heap_total_allocated_bytes_total") > 0, "no dotnet_gc_heap_total_allocated_bytes_total in the scrape");
            Assert.Contains("dotnet_gc_collections_total", scrape, StringComparison.Ordinal);

            // The API still needs its key, and the document describes the API only.
            using var refused = await anonymous.GetAsync("v1/topics");
            Assert.Equal(401, (int)refused.StatusCode);
            Assert.DoesNotContain("/metrics", await anonymous.GetStringAsync("openapi/v1.json"), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task StandaloneSender_ServesMetricsAndReadiness()
    {
        await using var frontend = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "false" });
        await using var sender = await NotifyProcess.StartSenderAsync(new Dictionary<string, string?>(NotifyService.TestSettings(frontend.DataDirectory))
        {
            ["Notify:PublicBaseUrl"] = frontend.Process.BaseAddress.AbsoluteUri,
        });
        try
        {
            await frontend.Client.CreateTopicAsync("depth");
            await frontend.Client.PublishAsync("depth", new { message = "no subscribers" });
            using var anonymous = new HttpClient { BaseAddress = sender.BaseAddress };

            using var ready = await anonymous.GetAsync("readyz");
            Assert.Equal(200, (int)ready.StatusCode);
            // The queue's gauge appears once the sampler has looked; the readiness probe above is an ASP.NET Core request.
            var scrape = await MetricsScrape.UntilAsync(
                sender.BaseAddress,
                text => text.Contains("notify_queue_messages{", StringComparison.Ordinal) && text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal),
                "the queue gauge and an HTTP server metric",
                Patience);
            Assert.Contains("state=\"waiting\"", scrape, StringComparison.Ordinal);
            Assert.Contains("state=\"in_flight\"", scrape, StringComparison.Ordinal);
        }
        catch
        {
            output.WriteLine($"{frontend.Logs}\n----- sender (pid {sender.Id}) -----\n{sender.Output}");
            throw;
        }
    }

    [Fact]
    public async Task MetricsDisabled_MetricsAnswers404()
    {
        await using var notify = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Metrics:Enabled"] = "false" });
        using var anonymous = new HttpClient { BaseAddress = notify.Process.BaseAddress };

        using var response = await anonymous.GetAsync("metrics");

        Assert.Equal(404, (int)response.StatusCode);
        using var ready = await anonymous.GetAsync("readyz");
        Assert.Equal(200, (int)ready.StatusCode);
    }
}
