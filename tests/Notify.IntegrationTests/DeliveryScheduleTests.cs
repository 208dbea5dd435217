using System.Text;
using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// A webhook delivery on its retry schedule, end to end on real processes in both modes, every retry through
/// the queue: attempts numbered and spaced as the schedule says, a dead letter once it runs out and its
/// redrive, and a 410 that disables the subscription until it is enabled again.
/// </summary>
public abstract class DeliveryScheduleTests(Deployment deployment, ITestOutputHelper output) : DeliveryScenario(deployment, output)
{
    private static readonly object OneRetryAfterASecond = new { retrySeconds = new[] { 1 } };

    [Fact]
    public Task FailingTwiceThenOk_IsDeliveredOnTheSchedule_AndCountedAsRetriedTwice() => ExplainedAsync(async () =>
    {
        var id = await SubscribeConfirmedAsync("scheduled", "scheduled/hook");
        var calls = 0;
        Receiver.Respond = r => r.Type == "Notification" && Interlocked.Increment(ref calls) <= 2 ? 503 : 200;

        var messageId = await PublishAsync("scheduled", "third time lucky");

        var attempts = await WaitForAsync("scheduled/hook", 3, "three attempts");
        Assert.Equal(["1", "2", "3"], attempts.Select(a => Header(a, "X-Notify-Attempt")));
        Assert.All(attempts, a => Assert.Equal(messageId, Header(a, "X-Notify-Message-Id")));
        Assert.All(attempts, a => Assert.Equal(messageId, MessageId(a)));

        // Each retry waits at least its wait after the failed attempt, which came after that attempt arrived here.
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b.ArrivedAt - a.ArrivedAt).ToList();
        Output.WriteLine($"gaps between attempts: {string.Join(", ", gaps.Select(g => $"{g.TotalSeconds:F3} s"))}");
        Assert.True(gaps[0] >= TimeSpan.FromSeconds(1), $"attempt 2 came {gaps[0].TotalSeconds:F3} s after attempt 1; the schedule waits 1 s");
        Assert.True(gaps[1] >= TimeSpan.FromSeconds(2), $"attempt 3 came {gaps[1].TotalSeconds:F3} s after attempt 2; the schedule waits 2 s");

        // Counters are flushed every 200 ms; the retries were counted before the delivery, so in the same flush or an earlier one.
        var stats = await PollAsync($"v1/subscriptions/{id}/stats", s => Count(s, "delivered") >= 1, "the delivery in the subscription's stats");
        Assert.Equal((1, 1, 0, 0), (Count(stats, "published"), Count(stats, "delivered"), Count(stats, "retrying"), Count(stats, "deadLettered")));
        Assert.Equal(2, Count(stats.GetProperty("lastHour"), "retrying"));
        Assert.Equal("HTTP 503", stats.GetProperty("lastError").GetString());
        Assert.False(stats.TryGetProperty("nextAttemptAt", out _), $"no retry waits any more: {stats}");

        var status = await PollAsync($"v1/topics/scheduled/messages/{messageId}", s => Count(s, "delivered") >= 1, "the message's delivery");
        Assert.Equal((1, 1, 0, 0), (Count(status, "subscribers"), Count(status, "delivered"), Count(status, "retrying"), Count(status, "deadLettered")));
        Assert.Equal(0, status.GetProperty("retries").GetArrayLength());

        var scrape = await MetricsScrape.UntilAsync(
            DeliveringProcess, m => MetricsScrape.Value(m, "notify_deliveries_delivered_total", "protocol=\"webhook\"") >= 1, "the delivery", Patience);
        Assert.Equal(2, MetricsScrape.Value(scrape, "notify_deliveries_retried_total", "protocol=\"webhook\""));
        Assert.Equal(2, MetricsScrape.Value(scrape, "notify_deliveries_failed_total", "protocol=\"webhook\""));
        Assert.Equal(1, MetricsScrape.Value(scrape, "notify_deliveries_delivered_total", "protocol=\"webhook\""));
    });

    [Fact]
    public Task FailingToTheEnd_IsADeadLetter_ThatARedriveDelivers() => ExplainedAsync(async () =>
    {
        var id = await SubscribeConfirmedAsync("doomed", "doomed/hook", OneRetryAfterASecond);
        var failing = true;
        Receiver.Respond = r => r.Type == "Notification" && Volatile.Read(ref failing) ? 500 : 200;

        var messageId = await PublishAsync("doomed", "never taken");

        var letters = await PollAsync($"v1/subscriptions/{id}/dead-letters", l => l.GetProperty("items").GetArrayLength() >= 1, "the dead letter");
        var letter = Assert.Single(letters.GetProperty("items").EnumerateArray());
        Assert.Equal(messageId, letter.GetProperty("messageId").GetString());
        Assert.Equal(2, letter.GetProperty("attempts").GetInt32());
        Assert.Equal("HTTP 500", letter.GetProperty("lastError").GetString());
        Assert.False(letter.GetProperty("permanent").GetBoolean());
        Assert.Equal(["1", "2"], At(Receiver.Received, "doomed/hook").Select(a => Header(a, "X-Notify-Attempt")));

        var detail = await GetJsonAsync($"v1/subscriptions/{id}/dead-letters/{messageId}");
        var log = detail.GetProperty("attemptLog");
        Assert.Equal([1, 2], log.EnumerateArray().Select(a => a.GetProperty("number").GetInt32()));
        Assert.All(log.EnumerateArray(), a => Assert.Equal("HTTP 500", a.GetProperty("outcome").GetString()));
        Assert.Equal("never taken", detail.GetProperty("message").GetProperty("message").GetString());

        var dead = await PollAsync($"v1/subscriptions/{id}/stats", s => Count(s, "deadLettered") >= 1, "the dead letter in the stats");
        Assert.Equal((1, 0, 0, 1), (Count(dead, "published"), Count(dead, "delivered"), Count(dead, "retrying"), Count(dead, "deadLettered")));

        Volatile.Write(ref failing, false);
        using var redrive = await Http.PostAsync($"v1/subscriptions/{id}/dead-letters/redrive", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(1, (await NotifyClient.ExpectJsonAsync(redrive, 202)).GetProperty("redriven").GetInt32());

        // A redrive starts the schedule again: attempt 1.
        var redriven = (await WaitForAsync("doomed/hook", 3, "the redriven delivery"))[2];
        Assert.Equal("1", Header(redriven, "X-Notify-Attempt"));
        Assert.Equal(messageId, Header(redriven, "X-Notify-Message-Id"));
        await PollAsync($"v1/subscriptions/{id}/dead-letters", l => l.GetProperty("items").GetArrayLength() == 0, "the dead letter to go once delivered");
        var delivered = await PollAsync($"v1/subscriptions/{id}/stats", s => Count(s, "delivered") >= 1, "the redriven delivery in the stats");
        Output.WriteLine($"stats after the redrive: {delivered}");
        // The dead letter stays counted (deliveries that became dead letters), and the redrive is no new publish.
        Assert.Equal((1, 1, 0, 1), (Count(delivered, "published"), Count(delivered, "delivered"), Count(delivered, "retrying"), Count(delivered, "deadLettered")));
        Assert.Equal(["1", "2", "1"], At(Receiver.Received, "doomed/hook").Select(a => Header(a, "X-Notify-Attempt")));
    });

    [Fact]
    public Task Gone_IsADeadLetterAtOnce_AndDisablesTheSubscription_UntilEnabled() => ExplainedAsync(async () =>
    {
        var gone = await SubscribeConfirmedAsync("moving", "moving/gone");
        await SubscribeConfirmedAsync("moving", "moving/marker");
        var answerGone = true;
        Receiver.Respond = r => r.Type == "Notification" && r.Path == "/moving/gone" && Volatile.Read(ref answerGone) ? 410 : 200;

        var first = await PublishAsync("moving", "first");

        var disabled = await PollAsync($"v1/subscriptions/{gone}", s => s.GetProperty("status").GetString() == "disabled", "the subscription to be disabled");
        Assert.Equal("http:410", disabled.GetProperty("disabledReason").GetProperty("code").GetString());
        var letters = await PollAsync($"v1/subscriptions/{gone}/dead-letters", l => l.GetProperty("items").GetArrayLength() >= 1, "the dead letter");
        var letter = Assert.Single(letters.GetProperty("items").EnumerateArray());
        Assert.Equal((first, 1, "HTTP 410", true), (
            letter.GetProperty("messageId").GetString(), letter.GetProperty("attempts").GetInt32(), letter.GetProperty("lastError").GetString(), letter.GetProperty("permanent").GetBoolean()));
        await WaitForMessageAsync("moving/marker", first, "the first message at the healthy subscription");
        Assert.Single(At(Receiver.Received, "moving/gone"));

        // Deliveries to both are decided by the same fan-out: once the healthy one has the second message, the disabled one was passed over.
        var second = await PublishAsync("moving", "second");
        await WaitForMessageAsync("moving/marker", second, "the second message at the healthy subscription");
        Assert.Equal([first], At(Receiver.Received, "moving/gone").Select(MessageId));

        Volatile.Write(ref answerGone, false);
        using var enable = await Http.PostAsync($"v1/subscriptions/{gone}/enable", null);
        Assert.Equal("confirmed", (await NotifyClient.ExpectJsonAsync(enable, 200)).GetProperty("status").GetString());
        Assert.Equal("confirmed", (await GetJsonAsync($"v1/subscriptions/{gone}")).GetProperty("status").GetString());

        var third = await PublishAsync("moving", "third");
        await WaitForMessageAsync("moving/gone", third, "the third message at the enabled subscription");
        Assert.Equal([first, third], At(Receiver.Received, "moving/gone").Select(MessageId));
    });
}

public sealed class EmbeddedDeliveryScheduleTests(ITestOutputHelper output) : DeliveryScheduleTests(Deployment.Embedded, output);

/// <summary>The same with the Frontend and a standalone Sender on DynamoDB (dynalite), SQS (moto) and Redis.</summary>
public sealed class AwsDeliveryScheduleTests(ITestOutputHelper output) : DeliveryScheduleTests(Deployment.Aws, output);
