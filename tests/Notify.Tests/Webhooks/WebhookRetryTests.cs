using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Notify.Tests.Webhooks.Support;
using static Notify.Tests.Webhooks.Support.WebhookTestServer;

namespace Notify.Tests.Webhooks;

/// <summary>Retries against a real local endpoint, on a manual clock: no test sleeps through a backoff.</summary>
public sealed class WebhookRetryTests
{
    [Fact]
    public async Task Delivery_WhenEndpointAnswers503Then503Then200_IsAttemptedThreeTimesAndSucceeds()
    {
        await using var server = await StartAsync(503, 503, 200);
        using var harness = WebhookHarness.Create();

        var (result, delays) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.True(result.Delivered);
        Assert.Equal(3, result.Attempts);
        Assert.Equal("HTTP 200", result.LastStatus);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, delays.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(410)]
    public async Task Delivery_WhenEndpointAnswersAClientError_IsGivenUpWithoutRetrying(int status)
    {
        await using var server = await StartAsync(status);
        using var harness = WebhookHarness.Create();

        var (result, delays) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.Equal($"HTTP {status}", result.LastStatus);
        Assert.Single(server.Requests);
        Assert.Empty(delays);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task Delivery_WhenEndpointAnswersATransientStatus_IsRetried(int status)
    {
        await using var server = await StartAsync(status, 200);
        using var harness = WebhookHarness.Create();

        var (result, _) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.True(result.Delivered);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Delivery_When429WithRetryAfter7_MakesTheNextAttemptOnlyAfterSevenSeconds()
    {
        await using var server = await StartAsync(new Reply(429, RetryAfter: "7"), new Reply(200));
        using var harness = WebhookHarness.Create();

        var delivery = harness.DeliverAsync(server.Url());
        var delay = await harness.NextRetryDelayAsync();
        Assert.Equal(TimeSpan.FromSeconds(7), delay);

        harness.Clock.Advance(TimeSpan.FromSeconds(6.9));
        Assert.False(delivery.IsCompleted);
        Assert.Single(server.Requests);

        harness.Clock.Advance(TimeSpan.FromSeconds(0.1));
        var result = await delivery.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(result.Delivered);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Delivery_WhenRetryAfterIsAnHttpDate_WaitsUntilThatDate()
    {
        using var harness = WebhookHarness.Create();
        var date = harness.Clock.GetUtcNow().AddSeconds(12).ToString("r", CultureInfo.InvariantCulture);
        await using var server = await StartAsync(new Reply(503, RetryAfter: date), new Reply(200));

        var (result, delays) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.True(result.Delivered);
        Assert.Equal([TimeSpan.FromSeconds(12)], delays);
    }

    [Fact]
    public async Task Delivery_WhenRetryAfterExceedsMaxDelay_WaitsOnlyMaxDelay()
    {
        await using var server = await StartAsync(new Reply(429, RetryAfter: "3600"), new Reply(200));
        using var harness = WebhookHarness.Create(new Dictionary<string, string?> { ["Notify:Webhooks:MaxDelay"] = "00:00:30" });

        var (result, delays) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.True(result.Delivered);
        Assert.Equal([TimeSpan.FromSeconds(30)], delays);
    }

    [Fact]
    public async Task Delivery_WhenAnAttemptTimesOut_IsRetried()
    {
        var attemptTimeout = TimeSpan.FromSeconds(10);
        await using var server = await StartAsync(new Reply(200, Hang: true), new Reply(200));
        using var harness = WebhookHarness.Create(new Dictionary<string, string?>
        {
            ["Notify:Webhooks:AttemptTimeout"] = attemptTimeout.ToString(),
        });

        var delivery = harness.DeliverAsync(server.Url());
        await server.NextRequestAsync();
        harness.Clock.Advance(attemptTimeout);
        var (result, delays) = await harness.RunThroughRetriesAsync(delivery, attemptTimeout);

        Assert.True(result.Delivered);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, server.Requests.Count);
        Assert.Single(delays);
    }

    [Fact]
    public async Task Delivery_WhenEveryAttemptTimesOut_IsGivenUpAsTimedOut()
    {
        var attemptTimeout = TimeSpan.FromSeconds(10);
        await using var server = await StartAsync(new Reply(200, Hang: true), new Reply(200, Hang: true));
        using var harness = WebhookHarness.Create(new Dictionary<string, string?>
        {
            ["Notify:Webhooks:AttemptTimeout"] = attemptTimeout.ToString(),
            ["Notify:Webhooks:MaxAttempts"] = "2",
        });

        var delivery = harness.DeliverAsync(server.Url());
        await server.NextRequestAsync();
        harness.Clock.Advance(attemptTimeout);
        var retryDelay = await harness.NextRetryDelayAsync(attemptTimeout);
        harness.Clock.Advance(retryDelay);
        await server.NextRequestAsync();
        harness.Clock.Advance(attemptTimeout);
        var result = await delivery.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.False(result.Delivered);
        Assert.Equal(2, result.Attempts);
        Assert.Equal("timed out after 10s", result.LastStatus);
    }

    [Fact]
    public async Task Delivery_WhenTheConnectionIsRefused_IsRetriedThenGivenUp()
    {
        using var harness = WebhookHarness.Create(new Dictionary<string, string?> { ["Notify:Webhooks:MaxAttempts"] = "3" });

        var (result, delays) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(new Uri($"http://127.0.0.1:{ClosedPort()}/hook")));

        Assert.False(result.Delivered);
        Assert.Equal(3, result.Attempts);
        Assert.Equal("connection failed (ConnectionRefused)", result.LastStatus);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public async Task Delivery_WhenEndpointRedirects_DoesNotFollow_AndRetriesTheSameUrl()
    {
        await using var server = await StartAsync(new Reply(302, Location: "/elsewhere"), new Reply(302, Location: "/elsewhere"));
        using var harness = WebhookHarness.Create(new Dictionary<string, string?> { ["Notify:Webhooks:MaxAttempts"] = "2" });

        var (result, _) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.False(result.Delivered);
        Assert.False(result.Permanent);
        Assert.Equal("HTTP 302", result.LastStatus);
        Assert.Equal(["/hooks/orders", "/hooks/orders"], server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Delivery_WhenEveryAttemptFails_GivesUpAfterMaxAttempts()
    {
        await using var server = await StartAsync(500, 500, 500, 500, 500);
        using var harness = WebhookHarness.Create(new Dictionary<string, string?> { ["Notify:Webhooks:MaxAttempts"] = "4" });

        var (result, delays) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.False(result.Delivered);
        Assert.Equal(4, result.Attempts);
        Assert.Equal("HTTP 500", result.LastStatus);
        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(3, delays.Count);
    }

    [Fact]
    public async Task Delivery_WhenCancelledByShutdown_ThrowsInsteadOfGivingUp()
    {
        await using var server = await StartAsync(new Reply(200, Hang: true));
        using var harness = WebhookHarness.Create();
        using var shutdown = new CancellationTokenSource();
        var subscription = WebhookHarness.Subscription(server.Url());

        var delivery = harness.Channel.DeliverAsync(WebhookHarness.Notification(), subscription, plan: null, shutdown.Token);
        await server.NextRequestAsync();
        await shutdown.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Retries_KeepTheSameMessageIdSoReceiversCanDropDuplicates()
    {
        await using var server = await StartAsync(503, 200);
        using var harness = WebhookHarness.Create();

        await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        var ids = server.Requests.Select(r => r.Headers["X-Notify-Message-Id"]).Distinct();
        Assert.Equal(["0190a1b2-msg"], ids);
    }

    [Fact]
    public async Task Logs_NameTheEndpointBySchemeAndHostOnly()
    {
        await using var server = await StartAsync(503, 503, 503, 503);
        using var harness = WebhookHarness.Create();
        var endpoint = server.Url("hooks/s3cr3t-path?token=s3cr3t-query");

        await harness.RunThroughRetriesAsync(harness.DeliverAsync(endpoint));

        var logs = harness.Logs.AllText;
        Assert.Contains($"http://127.0.0.1:{endpoint.Port}", logs);
        Assert.DoesNotContain("s3cr3t", logs);
        Assert.DoesNotContain("order 42 shipped", logs);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
