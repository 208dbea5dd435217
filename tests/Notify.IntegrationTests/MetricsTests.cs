using System.Globalization;
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
            var scrape = await ScrapeUntilAsync(anonymous, text => Value(text, "notify_messages_published_total") == 2, "2 messages published");
            Assert.Contains("http_server_request_duration_seconds", scrape, StringComparison.Ordinal);

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
            var scrape = await ScrapeUntilAsync(
                anonymous,
                text => text.Contains("notify_queue_messages{", StringComparison.Ordinal) && text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal),
                "the queue gauge and an HTTP server metric");
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

    /// <summary>
    /// Scrapes until <paramref name="condition"/> holds: the exporter may answer from a scrape it cached a
    /// moment ago, and the queue is sampled every few seconds.
    /// </summary>
    private static async Task<string> ScrapeUntilAsync(HttpClient http, Func<string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await http.GetAsync("metrics");
            Assert.Equal(200, (int)response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            var text = await response.Content.ReadAsStringAsync();
            if (condition(text))
            {
                return text;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/metrics never showed {what}; last scrape:\n{text}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The value of an unlabelled-or-labelled sample line <c>name{...} value [timestamp]</c>; null when absent.</summary>
    private static double? Value(string scrape, string name)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not ('{' or ' '))
            {
                continue;
            }

            var rest = line[name.Length] == '{' ? line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..] : line[name.Length..];
            return double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return null;
    }
}
