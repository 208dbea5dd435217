using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>Managing scoped keys through /v1/keys, and a scoped key used end to end.</summary>
public abstract class ApiKeyTests(NotifyService notify)
{
    private static readonly string[] Publish = ["publish"];
    private static readonly string[] Read = ["read"];

    [Fact]
    public async Task CreatedKey_IsShownOnce_ListedWithoutTheKey_AndPublishesOnlyToItsTopics()
    {
        var topic = "orders-" + Guid.NewGuid().ToString("N")[..8];
        await notify.Client.CreateTopicAsync(topic);
        await notify.Client.CreateTopicAsync("billing-x");

        using var created = await notify.Client.Http.PostAsJsonAsync("v1/keys", new
        {
            name = "ci",
            permissions = Publish,
            topics = new[] { topic },
            rateLimit = new { publishPerSecond = 2.5, publishBurst = 10 },
        });
        var key = await NotifyClient.ExpectJsonAsync(created, 201);
        var id = key.GetProperty("id").GetString()!;
        var secret = key.GetProperty("key").GetString()!;
        Assert.StartsWith("key_", id, StringComparison.Ordinal);
        Assert.StartsWith("nfy_", secret, StringComparison.Ordinal);
        Assert.Equal($"/v1/keys/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(2.5, key.GetProperty("rateLimit").GetProperty("publishPerSecond").GetDouble());

        var read = await NotifyClient.ExpectJsonAsync(await notify.Client.Http.GetAsync($"v1/keys/{id}"), 200);
        Assert.False(read.TryGetProperty("key", out _));
        Assert.Equal(["publish"], read.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(10, read.GetProperty("rateLimit").GetProperty("publishBurst").GetInt32());
        var listed = await NotifyClient.ExpectJsonAsync(await notify.Client.Http.GetAsync("v1/keys"), 200);
        Assert.Contains(id, listed.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("id").GetString()));
        Assert.DoesNotContain(secret, listed.ToString(), StringComparison.Ordinal);

        using var scoped = new NotifyClient(notify.Process.BaseAddress, secret);
        await scoped.PublishAsync(topic, new { message = "hello" });
        using var elsewhere = await scoped.Http.PostAsJsonAsync("v1/topics/billing-x/messages", new { message = "hello" });
        await ProblemAssert.IsProblemAsync(elsewhere, 403, "'publish' permission on topic 'billing-x'");

        using var deleted = await notify.Client.Http.DeleteAsync($"v1/keys/{id}");
        Assert.Equal(204, (int)deleted.StatusCode);
        using var refused = await scoped.Http.PostAsJsonAsync($"v1/topics/{topic}/messages", new { message = "hello" });
        await ProblemAssert.IsProblemAsync(refused, 401, "expired or deleted");
        await ProblemAssert.IsProblemAsync(await notify.Client.Http.GetAsync($"v1/keys/{id}"), 404, id);
    }

    [Theory]
    [InlineData("""{"name":"ci","permissions":["publish"],"topics":["orders!"]}""", "topics[0]")]
    [InlineData("""{"name":"ci","permissions":["publish"],"topics":["or*ders"]}""", "topics[0]")]
    [InlineData("""{"name":"ci","permissions":["publish"],"topics":[]}""", "topics")]
    [InlineData("""{"name":"ci","permissions":[],"topics":["*"]}""", "permissions")]
    [InlineData("""{"name":"ci","permissions":["write"],"topics":["*"]}""", "permissions")]
    [InlineData("""{"name":"","permissions":["read"],"topics":["*"]}""", "name")]
    [InlineData("""{"name":"ci","permissions":["read"],"topics":["*"],"expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"name":"ci","permissions":["read"],"topics":["*"],"rateLimit":{"publishPerSecond":0}}""", "rateLimit.publishPerSecond")]
    [InlineData("""{"name":"ci","permissions":["read"],"topics":["*"],"rateLimit":{"requestsBurst":0}}""", "rateLimit.requestsBurst")]
    public async Task CreateKey_WithBadInput_Answers400NamingTheField(string body, string field)
    {
        using var response = await notify.Client.Http.PostAsync("v1/keys", new StringContent(body, Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(response, 400);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.Ordinal) || e.Name.StartsWith("$." + field, StringComparison.Ordinal)), $"no error for {field}: {errors}");
    }

    [Fact]
    public async Task ScopedKey_SeesOnlyItsTopics_AndCannotManageKeys()
    {
        var prefix = "team" + Guid.NewGuid().ToString("N")[..6] + "-";
        await notify.Client.CreateTopicAsync(prefix + "a");
        await notify.Client.CreateTopicAsync("zz-not-" + prefix);
        using var created = await notify.Client.Http.PostAsJsonAsync("v1/keys", new { name = "reader", permissions = Read, topics = new[] { prefix + "*" } });
        var secret = (await NotifyClient.ExpectJsonAsync(created, 201)).GetProperty("key").GetString()!;

        using var scoped = new NotifyClient(notify.Process.BaseAddress, secret);
        var topics = await NotifyClient.ExpectJsonAsync(await scoped.Http.GetAsync("v1/topics?limit=100"), 200);
        Assert.Equal([prefix + "a"], topics.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        await ProblemAssert.IsProblemAsync(await scoped.Http.GetAsync("v1/keys"), 403, "Only the admin key");
    }
}

public sealed class EmbeddedApiKeyTests(ServiceFixture fixture) : ApiKeyTests(fixture.Notify), IClassFixture<ServiceFixture>;

/// <summary>Keys in the DynamoDB metadata table, used through a Frontend and a Sender of Aws mode.</summary>
public sealed class AwsApiKeyTests(AwsServiceFixture fixture) : ApiKeyTests(fixture.Notify), IClassFixture<AwsServiceFixture>;
