using System.Collections.Concurrent;
using System.Net.Http.Json;
using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>An accepted message (202) survives restarts and kill -9; delivery is at least once.</summary>
public sealed class DurabilityTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Restart_KeepsTopicsSubscriptionsAndUndeliveredMessages()
    {
        // Debug logs (each receive, delivery and deletion) explain a failure in the test's output.
        await using var notify = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Notify"] = "Debug" });
        var subscriptionId = await SubscribeConfirmedAsync(notify, "durable");
        await notify.Process.StopAsync(TimeSpan.FromSeconds(15));

        // Accept messages with no Sender running, so they can only be waiting in the queue.
        await notify.RestartAsync(new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "false" });
        var accepted = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var result = await notify.Client.PublishAsync("durable", new { message = $"kept {i}" });
            accepted.Add(result.GetProperty("messageId").GetString()!);
        }

        await Task.Delay(500);
        Assert.Empty(_receiver.Notifications);
        await notify.Process.StopAsync(TimeSpan.FromSeconds(15));

        await notify.RestartAsync(new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "true" });
        var topic = await NotifyClient.ExpectJsonAsync(await notify.Client.Http.GetAsync("v1/topics/durable"), 200);
        var subscription = await NotifyClient.ExpectJsonAsync(await notify.Client.Http.GetAsync($"v1/subscriptions/{subscriptionId}"), 200);
        Assert.Equal("durable", topic.GetProperty("name").GetString());
        Assert.Equal("confirmed", subscription.GetProperty("status").GetString());

        await notify.ExplainFailureAsync(output, () =>
            _receiver.WaitUntilAsync(r => DeliveredIds(r).IsSupersetOf(accepted), Patience, "all 20 messages after the restart"));
    }

    /// <summary>
    /// Publishers send each message with a dedup id, as clients that retry do, and retry the requests the
    /// kill cut off once Notify is back. Every message accepted before the kill and every retried one is
    /// delivered: a request cut between its dedup claim and its queue write is not answered "duplicate"
    /// of a message that was never queued (its claim was still pending; the retry is accepted after the lease).
    /// </summary>
    [Fact]
    public async Task Crash_WhilePublishingAndDelivering_LosesNoAcceptedMessage_NorAnyRetriedOne()
    {
        var lease = TimeSpan.FromSeconds(2);
        await using var notify = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Dedup:PendingLease"] = lease.ToString() });
        await SubscribeConfirmedAsync(notify, "crash");
        _receiver.Delay = TimeSpan.FromMilliseconds(50);

        // Publishers keep going while the process is killed; only 202s count as accepted.
        var accepted = new ConcurrentBag<string>();
        var cut = new ConcurrentBag<object>();
        using var stop = new CancellationTokenSource();
        var publishers = Enumerable.Range(0, 8).Select(async worker =>
        {
            using var http = OpenApiContract.CreateClient(notify.Process.BaseAddress);
            http.DefaultRequestHeaders.Authorization = new("Bearer", NotifyService.AdminKey);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var message = new { message = $"w{worker}-{i}", dedupId = $"w{worker}-{i}" };
                try
                {
                    using var response = await http.PostAsJsonAsync("v1/topics/crash/messages", message);
                    if ((int)response.StatusCode == 202)
                    {
                        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                        accepted.Add(body.GetProperty("messageId").GetString()!);
                    }
                }
                catch (HttpRequestException)
                {
                    // The process died under this request: it was never acknowledged, so it is retried below.
                    cut.Add(message);
                    return;
                }
            }
        }).ToList();

        // Kill once deliveries are well under way: some answered, others still in flight.
        var deadline = DateTime.UtcNow + Patience;
        while (_receiver.Answered.Count(a => a.Request.Type == "Notification") < 100 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await notify.Process.CrashAsync();
        var deliveredBeforeCrash = _receiver.Answered.Count(a => a.Request.Type == "Notification");
        await stop.CancelAsync();
        await Task.WhenAll(publishers);
        var acceptedBeforeCrash = accepted.Count;

        await notify.RestartAsync();
        var (pendingAnswers, duplicates) = (0, 0);
        foreach (var message in cut)
        {
            var retried = await RetryUntilAcceptedAsync(notify, message);
            accepted.Add(retried.MessageId);
            pendingAnswers += retried.PendingAnswers;
            duplicates += retried.Duplicate ? 1 : 0;
        }

        var ids = accepted.ToHashSet();
        var received = await _receiver.WaitUntilAsync(r => DeliveredIds(r).IsSupersetOf(ids), Patience, $"all {ids.Count} accepted messages");

        var notifications = received.Count(x => x.Type == "Notification");
        output.WriteLine($"accepted (202) before kill -9: {acceptedBeforeCrash}; requests cut by the kill and retried: {cut.Count} " +
            $"(409 answers while a claim was pending: {pendingAnswers}; answered as duplicates: {duplicates}); " +
            $"answered before the kill: {deliveredBeforeCrash}; delivered in all: {DeliveredIds(received).Count} distinct in {notifications} requests; " +
            $"redelivered (duplicates): {notifications - DeliveredIds(received).Count}; lost: {ids.Except(DeliveredIds(received)).Count()}");
        Assert.True(deliveredBeforeCrash >= 100, $"Only {deliveredBeforeCrash} deliveries were answered before the kill.");
        Assert.NotEmpty(cut);
    }

    /// <summary>What a client does with a request it got no answer to: send it again, same dedup id, until accepted.</summary>
    private static async Task<(string MessageId, bool Duplicate, int PendingAnswers)> RetryUntilAcceptedAsync(NotifyService notify, object message)
    {
        var deadline = DateTime.UtcNow + Patience;
        for (var pending = 0; ; pending++)
        {
            using var response = await notify.Client.Http.PostAsJsonAsync("v1/topics/crash/messages", message);
            if ((int)response.StatusCode == 202)
            {
                var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                return (body.GetProperty("messageId").GetString()!, body.GetProperty("duplicate").GetBoolean(), pending);
            }

            Assert.Equal(409, (int)response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            Assert.True(DateTime.UtcNow < deadline, "A retried publish was still answered 409 after the patience ran out.");
            await Task.Delay(response.Headers.RetryAfter!.Delta!.Value);
        }
    }

    [Fact]
    public async Task GracefulStop_LetsInFlightDeliveryFinish()
    {
        await using var notify = await NotifyService.StartAsync();
        await SubscribeConfirmedAsync(notify, "drain");
        _receiver.Delay = TimeSpan.FromSeconds(2);

        var accepted = await notify.Client.PublishAsync("drain", new { message = "finish me" });
        var messageId = accepted.GetProperty("messageId").GetString()!;
        await _receiver.WaitUntilAsync(r => DeliveredIds(r).Contains(messageId), Patience, "the delivery to start");
        await notify.Process.StopAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, notify.Process.ExitCode);
        Assert.Contains(_receiver.Answered, a => a.Request.Type == "Notification" && a.Request.Json.GetProperty("messageId").GetString() == messageId);
    }

    private Task<string> SubscribeConfirmedAsync(NotifyService notify, string topic) =>
        notify.SubscribeConfirmedAsync(_receiver, topic, topic);

    private static HashSet<string> DeliveredIds(IEnumerable<ReceivedWebhook> received) =>
        received.Where(x => x.Type == "Notification").Select(x => x.Json.GetProperty("messageId").GetString()!).ToHashSet();
}
