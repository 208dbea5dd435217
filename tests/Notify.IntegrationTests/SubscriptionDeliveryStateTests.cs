using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Notify.IntegrationTests.Support;
using Notify.Metadata.Model;

namespace Notify.IntegrationTests;

/// <summary>
/// A subscription's delivery policy (set at subscribe, merged by PATCH, refused beyond its limits) and
/// enabling a disabled subscription. Real processes in both modes; the disabled state, which only a Sender
/// writes, is written by the test through the service's own metadata store.
/// </summary>
public abstract class SubscriptionDeliveryStateTests(Deployment deployment) : IAsyncLifetime
{
    private NotifyService _notify = null!;

    private HttpClient Http => _notify.Client.Http;

    public async Task InitializeAsync() => _notify = await NotifyService.StartAsync(deployment: deployment);

    public async Task DisposeAsync() => await _notify.DisposeAsync();

    [Fact]
    public async Task DeliveryPolicy_RoundTripsAtSubscribeAndPatch()
    {
        await _notify.Client.CreateTopicAsync("paced");
        var body = new { protocol = "sms", endpoint = "+15550006001", deliveryPolicy = new { retrySeconds = new[] { 5, 60 }, maxPerSecond = 2.5 } };

        using var first = await Http.PostAsJsonAsync("v1/topics/paced/subscriptions", body);
        var created = await NotifyClient.ExpectJsonAsync(first, 201);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("""{"retrySeconds":[5,60],"maxPerSecond":2.5}""", created.GetProperty("deliveryPolicy").GetRawText());
        using var again = await Http.PostAsJsonAsync("v1/topics/paced/subscriptions", body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var without = await Http.PostAsJsonAsync("v1/topics/paced/subscriptions", new { protocol = "sms", endpoint = "+15550006001" });
        await ProblemAssert.IsProblemAsync(without, 409, "delivery policy");

        var rate = await PatchAsync(id, """{"deliveryPolicy":{"maxPerSecond":5}}""");
        var noRetry = await PatchAsync(id, """{"deliveryPolicy":{"retrySeconds":[]}}""");
        var filterOnly = await PatchAsync(id, """{"filterPolicy":{"kind":["alert"]}}""");
        var read = await NotifyClient.ExpectJsonAsync(await Http.GetAsync($"v1/subscriptions/{id}"), 200);
        var removed = await PatchAsync(id, """{"deliveryPolicy":null}""");

        Assert.Equal("""{"retrySeconds":[5,60],"maxPerSecond":5}""", rate.GetProperty("deliveryPolicy").GetRawText());
        Assert.Equal("""{"retrySeconds":[],"maxPerSecond":5}""", noRetry.GetProperty("deliveryPolicy").GetRawText());
        Assert.Equal("""{"retrySeconds":[],"maxPerSecond":5}""", filterOnly.GetProperty("deliveryPolicy").GetRawText());
        Assert.Equal("""{"retrySeconds":[],"maxPerSecond":5}""", read.GetProperty("deliveryPolicy").GetRawText());
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("deliveryPolicy").ValueKind);
        Assert.Equal("""{"kind":["alert"]}""", removed.GetProperty("filterPolicy").GetRawText());
    }

    [Theory]
    [InlineData("""{"retrySeconds":[5,90000]}""", "deliveryPolicy.retrySeconds[1]", "0 to 86400")]
    [InlineData("""{"retrySeconds":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}""", "deliveryPolicy.retrySeconds", "at most 20")]
    [InlineData("""{"maxPerSecond":0}""", "deliveryPolicy.maxPerSecond", "0.01 to 10000")]
    [InlineData("""{"maxPerSecond":20000}""", "deliveryPolicy.maxPerSecond", "0.01 to 10000")]
    public async Task DeliveryPolicy_BeyondItsLimits_IsRefusedAtSubscribeAndPatch(string policy, string field, string limit)
    {
        await _notify.Client.CreateTopicAsync("limits");
        var id = (await _notify.Client.SubscribeAsync("limits", "sms", "+15550006002")).GetProperty("id").GetString();

        using var subscribe = await Http.PostAsync("v1/topics/limits/subscriptions", Json($$"""{"protocol":"sms","endpoint":"+15550006003","deliveryPolicy":{{policy}}}""", "application/json"));
        using var patch = await Http.PatchAsync($"v1/subscriptions/{id}", Json($$"""{"deliveryPolicy":{{policy}}}""", "application/merge-patch+json"));

        foreach (var response in new[] { subscribe, patch })
        {
            var detail = await ProblemAssert.IsProblemAsync(response, 400, field);
            Assert.Contains(limit, detail, StringComparison.Ordinal);
            Assert.Contains(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }
    }

    [Fact]
    public async Task Enable_MakesADisabledSubscriptionConfirmed_LeavesAConfirmedOne_AndRefusesAPendingOne()
    {
        await _notify.Client.CreateTopicAsync("enabling");
        var confirmed = (await _notify.Client.SubscribeAsync("enabling", "sms", "+15550006004")).GetProperty("id").GetString()!;
        var disabled = (await _notify.Client.SubscribeAsync("enabling", "sms", "+15550006005")).GetProperty("id").GetString()!;
        var pending = (await _notify.Client.SubscribeAsync("enabling", "email", "pending@example.com")).GetProperty("id").GetString()!;
        var gone = new DeliveryError("http:410", "Gone", new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));
        using (var metadata = ServiceMetadataStore.Open(_notify))
        {
            Assert.Equal(SubscriptionStatus.Disabled, (await metadata.Store.SetDisabledAsync(disabled, gone, default))!.Status);
        }

        var shown = await NotifyClient.ExpectJsonAsync(await Http.GetAsync($"v1/subscriptions/{disabled}"), 200);
        Assert.Equal("disabled", shown.GetProperty("status").GetString());
        Assert.Equal("http:410", shown.GetProperty("disabledReason").GetProperty("code").GetString());
        Assert.Equal("Gone", shown.GetProperty("disabledReason").GetProperty("detail").GetString());
        Assert.Equal(gone.At, shown.GetProperty("disabledReason").GetProperty("at").GetDateTimeOffset());
        Assert.Equal([disabled], await ListAsync("topic=enabling&status=disabled"));
        using var resend = await Http.PostAsync($"v1/subscriptions/{disabled}/confirmation", null);
        await ProblemAssert.IsProblemAsync(resend, 409, "/enable");

        var enabled = await EnableAsync(disabled, 200);
        var unchanged = await EnableAsync(confirmed, 200);
        await EnableAsync(pending, 409, "confirmed first");
        await EnableAsync("0000000000000000000000000000", 404);

        Assert.Equal("confirmed", enabled.GetProperty("status").GetString());
        Assert.False(enabled.TryGetProperty("disabledReason", out _));
        Assert.Equal("confirmed", unchanged.GetProperty("status").GetString());
        Assert.Empty(await ListAsync("topic=enabling&status=disabled"));
        Assert.Equal([confirmed, disabled], await ListAsync("topic=enabling&status=confirmed"));
    }

    private async Task<JsonElement> PatchAsync(string id, string json)
    {
        using var response = await Http.PatchAsync($"v1/subscriptions/{id}", Json(json, "application/merge-patch+json"));
        return await NotifyClient.ExpectJsonAsync(response, 200);
    }

    private async Task<JsonElement> EnableAsync(string id, int status, string? detail = null)
    {
        using var response = await Http.PostAsync($"v1/subscriptions/{id}/enable", null);
        if (status >= 400)
        {
            await ProblemAssert.IsProblemAsync(response, status, detail);
            return default;
        }

        return await NotifyClient.ExpectJsonAsync(response, status);
    }

    private async Task<List<string?>> ListAsync(string query)
    {
        var page = await NotifyClient.ExpectJsonAsync(await Http.GetAsync($"v1/subscriptions?{query}"), 200);
        return [.. page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString())];
    }

    private static StringContent Json(string json, string mediaType) => new(json, Encoding.UTF8, mediaType);
}

public sealed class EmbeddedSubscriptionDeliveryStateTests() : SubscriptionDeliveryStateTests(Deployment.Embedded);

public sealed class AwsSubscriptionDeliveryStateTests() : SubscriptionDeliveryStateTests(Deployment.Aws);
