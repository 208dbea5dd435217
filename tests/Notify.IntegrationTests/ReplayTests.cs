using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// Replay, end to end on real processes in both modes: a topic's retention in its answers, a window of its
/// kept messages delivered again to one subscription marked <c>X-Notify-Replay: true</c>, and the answers to
/// what cannot be replayed. (That an expired message is not replayed is the store contract's, on a fake clock:
/// a test here cannot move the service's time.)
/// </summary>
public abstract class ReplayTests(Deployment deployment, ITestOutputHelper output) : DeliveryScenario(deployment, output)
{
    [Fact]
    public Task Replay_OfAWindow_DeliversExactlyItsMessagesAgain_MarkedAsAReplay() => ExplainedAsync(async () =>
    {
        await CreateTopicAsync("kept", "P7D");
        var id = await SubscribeConfirmedAsync("kept", "kept/hook");

        var a = await PublishAsync("kept", "A");
        await WaitForMessageAsync("kept/hook", a, "A");
        var from = DateTimeOffset.UtcNow;
        var b = await PublishAsync("kept", "B");
        await WaitForMessageAsync("kept/hook", b, "B");
        var to = DateTimeOffset.UtcNow;
        var c = await PublishAsync("kept", "C");
        await WaitForMessageAsync("kept/hook", c, "C");

        var answer = await ReplayAsync(id, from, to);

        Assert.Equal(1, answer.GetProperty("queued").GetInt32());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("nextCursor").ValueKind);
        var received = await WaitForAsync("kept/hook", 4, "the replay of B");
        Assert.Equal([a, b, c, b], received.Select(MessageId));
        Assert.All(received.Take(3), r => Assert.False(r.Headers.ContainsKey("X-Notify-Replay"), $"{MessageId(r)} was not replayed"));
        var replayed = received[3];
        Assert.Equal("true", Header(replayed, "X-Notify-Replay"));
        Assert.Equal(b, Header(replayed, "X-Notify-Message-Id"));
        Assert.Equal("1", Header(replayed, "X-Notify-Attempt"));
        Assert.Equal("B", replayed.Json.GetProperty("message").GetString());

        // Only what the subscription would have received: B carries no attributes, which this policy requires.
        await PatchAsync($"v1/subscriptions/{id}", """{"filterPolicy":{"region":["eu"]}}""");
        var filtered = await ReplayAsync(id, from, to);
        Assert.Equal(0, filtered.GetProperty("queued").GetInt32());
    });

    [Fact]
    public Task Retention_IsShownInTopicAnswers_SetByCreateAndPatch_AndRefusedOutOfRange() => ExplainedAsync(async () =>
    {
        var created = await CreateTopicAsync("kept-week", "P7D");
        var plain = await Notify.Client.CreateTopicAsync("keeps-none");

        Assert.Equal("P7D", created.GetProperty("retention").GetString());
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("retention").ValueKind);
        Assert.Equal("PT1H", (await PatchAsync("v1/topics/kept-week", """{"retention":"PT1H"}""")).GetProperty("retention").GetString());
        Assert.Equal("PT1H", (await PatchAsync("v1/topics/kept-week", """{"displayName":"Kept"}""")).GetProperty("retention").GetString());
        Assert.Equal("PT1H", (await GetJsonAsync("v1/topics/kept-week")).GetProperty("retention").GetString());
        var removed = await PatchAsync("v1/topics/kept-week", """{"retention":null}""");
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("retention").ValueKind);
        Assert.Equal("Kept", removed.GetProperty("displayName").GetString());

        await ProblemAssert.IsProblemAsync(
            await Http.PostAsJsonAsync("v1/topics", new { name = "too-long", retention = "P40D" }), 400,
            "retention is \"P40D\"; it must be an ISO 8601 duration from PT1S to P30D, such as \"P7D\"");
        await ProblemAssert.IsProblemAsync(await Http.PostAsJsonAsync("v1/topics", new { name = "months", retention = "P1M" }), 400, "ISO 8601 duration");
        await ProblemAssert.IsProblemAsync(await PatchResponseAsync("v1/topics/keeps-none", """{"retention":"PT0S"}"""), 400, "from PT1S to P30D");
        await ProblemAssert.IsProblemAsync(await PatchResponseAsync("v1/topics/keeps-none", """{"retention":7}"""), 400, "retention must be a string");
        Assert.Equal(404, (int)(await Http.GetAsync("v1/topics/too-long")).StatusCode);
    });

    [Fact]
    public Task Replay_RefusesWhatCannotBeReplayed_SayingWhy() => ExplainedAsync(async () =>
    {
        var now = DateTimeOffset.UtcNow;
        await CreateTopicAsync("replay-bad", "P1D");
        var confirmed = await SubscribeConfirmedAsync("replay-bad", "replay-bad/hook");
        var pending = (await Notify.Client.SubscribeAsync("replay-bad", "webhook", Receiver.Url("replay-bad/pending").AbsoluteUri)).GetProperty("id").GetString()!;
        var unkept = await SubscribeConfirmedAsync("replay-unkept", "replay-unkept/hook");

        await ProblemAssert.IsProblemAsync(await PostAsync($"v1/subscriptions/{confirmed}/replay", """{"from":"2026-12-01T00:00:00Z"}"""), 400, "to");
        await ProblemAssert.IsProblemAsync(await PostAsync($"v1/subscriptions/{confirmed}/replay", """{"from":"yesterday","to":"2026-12-01T00:00:00Z"}"""), 400, "from");
        await ProblemAssert.IsProblemAsync(
            await PostAsync($"v1/subscriptions/{confirmed}/replay", """{"from":"2026-12-01T00:00:00Z","to":"2026-12-01T00:00:00Z"}"""), 400, "to must be after from");
        await ProblemAssert.IsProblemAsync(
            await PostAsync($"v1/subscriptions/{confirmed}/replay", """{"from":"2026-12-01T00:00:00Z","to":"2026-12-02T00:00:00Z","cursor":"not-a-cursor"}"""), 400, "cursor");
        await ProblemAssert.IsProblemAsync(await ReplayResponseAsync("nobody", now.AddHours(-1), now), 404, "nobody");
        await ProblemAssert.IsProblemAsync(await ReplayResponseAsync(pending, now.AddHours(-1), now), 409, "is pending");
        await ProblemAssert.IsProblemAsync(
            await ReplayResponseAsync(unkept, now.AddHours(-1), now), 409, "topic 'replay-unkept' keeps no messages; set retention on it first");

        // A window with nothing kept in it queues nothing.
        Assert.Equal(0, (await ReplayAsync(confirmed, now.AddDays(-2), now.AddDays(-1))).GetProperty("queued").GetInt32());
    });

    private async Task<JsonElement> CreateTopicAsync(string name, string retention) =>
        await NotifyClient.ExpectJsonAsync(await Http.PostAsJsonAsync("v1/topics", new { name, retention }), 201);

    private async Task<JsonElement> ReplayAsync(string id, DateTimeOffset from, DateTimeOffset to) =>
        await NotifyClient.ExpectJsonAsync(await ReplayResponseAsync(id, from, to), 200);

    private Task<HttpResponseMessage> ReplayResponseAsync(string id, DateTimeOffset from, DateTimeOffset to) =>
        Http.PostAsJsonAsync($"v1/subscriptions/{id}/replay", new { from, to });

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> PatchResponseAsync(string path, string json) =>
        Http.PatchAsync(path, new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));

    private async Task<JsonElement> PatchAsync(string path, string json) =>
        await NotifyClient.ExpectJsonAsync(await PatchResponseAsync(path, json), 200);
}

public sealed class EmbeddedReplayTests(ITestOutputHelper output) : ReplayTests(Deployment.Embedded, output);

public sealed class AwsReplayTests(ITestOutputHelper output) : ReplayTests(Deployment.Aws, output);
