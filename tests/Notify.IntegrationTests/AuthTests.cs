using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>No request without a valid key gets or changes data.</summary>
public abstract class AuthTests(NotifyService notify)
{
    public static TheoryData<string, string> ProtectedCalls => new()
    {
        { "POST", "v1/topics" },
        { "GET", "v1/topics" },
        { "GET", "v1/topics/secret" },
        { "DELETE", "v1/topics/secret" },
        { "POST", "v1/topics/secret/subscriptions" },
        { "GET", "v1/topics/secret/subscriptions" },
        { "GET", "v1/subscriptions/any" },
        { "DELETE", "v1/subscriptions/any" },
        { "POST", "v1/topics/secret/messages" },
    };

    [Theory]
    [MemberData(nameof(ProtectedCalls))]
    public async Task ProtectedCall_WithoutKey_Answers401(string method, string path)
    {
        await notify.Client.CreateTopicAsync("secret");
        foreach (var authorization in new string?[] { null, "Bearer wrong-key", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + NotifyService.AdminKey)), "Bearer" })
        {
            using var http = OpenApiContract.CreateClient(notify.Process.BaseAddress);
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = method is "POST" ? new StringContent("""{"name":"secret","message":"x","protocol":"sms","endpoint":"+15551234567"}""", Encoding.UTF8, "application/json") : null,
            };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await http.SendAsync(request);
            await ProblemAssert.IsProblemAsync(response, 401, "Authorization: Bearer");
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // Nothing was changed by the refused calls.
        var topic = await NotifyClient.ExpectJsonAsync(await notify.Client.Http.GetAsync("v1/topics/secret"), 200);
        Assert.Equal("secret", topic.GetProperty("name").GetString());
        var subscriptions = await NotifyClient.ExpectJsonAsync(await notify.Client.Http.GetAsync("v1/topics/secret/subscriptions"), 200);
        Assert.Equal(0, subscriptions.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("healthz")]
    [InlineData("readyz")]
    [InlineData("openapi/v1.json")]
    public async Task OperationalEndpoints_NeedNoKey(string path)
    {
        using var http = OpenApiContract.CreateClient(notify.Process.BaseAddress);
        using var response = await http.GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        using var http = OpenApiContract.CreateClient(notify.Process.BaseAddress);
        var document = await http.GetStringAsync("openapi/v1.json");
        Assert.Contains("/v1/topics/{name}/messages", document, StringComparison.Ordinal);
        Assert.Contains("/v1/subscriptions/{id}/confirm", document, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(document);
        Assert.Equal("bearer", json.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }
}

public sealed partial class EmbeddedAuthTests(ServiceFixture fixture) : AuthTests(fixture.Notify), IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task FirstStart_WithoutConfiguredKey_PrintsGeneratedKeyOnce_AndKeepsOnlyItsHash()
    {
        await using var notify = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Auth:AdminKey"] = null });
        var key = GeneratedKey().Match(notify.Process.Output).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(key), "No generated key in the output:\n" + notify.Process.Output);

        using (var http = OpenApiContract.CreateClient(notify.Process.BaseAddress))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            Assert.Equal(200, (int)(await http.GetAsync("v1/topics")).StatusCode);
        }

        var stored = string.Concat(Directory.GetFiles(notify.DataDirectory).Select(File.ReadAllText));
        Assert.DoesNotContain(key, stored, StringComparison.Ordinal);

        await notify.Process.StopAsync(TimeSpan.FromSeconds(15));
        await notify.RestartAsync();
        Assert.DoesNotMatch(GeneratedKey(), notify.Process.Output);
        using (var http = OpenApiContract.CreateClient(notify.Process.BaseAddress))
        {
            Assert.Equal(401, (int)(await http.GetAsync("v1/topics")).StatusCode);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            Assert.Equal(200, (int)(await http.GetAsync("v1/topics")).StatusCode);
        }
    }

    [GeneratedRegex(@"^\s+(nfy_[A-Za-z0-9_-]{20,})\s*$", RegexOptions.Multiline)]
    private static partial Regex GeneratedKey();
}

public sealed class AwsAuthTests(AwsServiceFixture fixture) : AuthTests(fixture.Notify), IClassFixture<AwsServiceFixture>
{
    [Fact]
    public async Task AwsMode_WithoutConfiguredKey_RefusesToStart()
    {
        // Frontends behind a load balancer must share one key; a key generated by each would differ.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Auth:AdminKey"] = null }, Deployment.Aws));
        Assert.Contains("Notify:Auth:AdminKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwsMode_WithoutLinkTokenKey_RefusesToStart()
    {
        // Links built by one Sender must verify at every Frontend: a key generated by each would differ.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Links:TokenKey"] = null }, Deployment.Aws));
        Assert.Contains("Notify:Links:TokenKey must be set in Aws mode", error.Message, StringComparison.Ordinal);
    }
}
