using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// Every /v1 endpoint of the running service's OpenAPI document, called with each kind of caller: no key, a
/// wrong key, an expired key, a deleted key, a key with every permission but the one the endpoint needs, a key
/// with that permission on other topics only, and a key with it (or the admin key, for /v1/keys). An endpoint
/// missing from <see cref="Rows"/> fails the test, so a new endpoint gets its row.
/// </summary>
public sealed class KeyMatrixTests(ServiceFixture fixture, ITestOutputHelper output) : IClassFixture<ServiceFixture>
{
    private const string Covered = "mx-";
    private const string Other = "other-";

    private enum Source
    {
        Route,
        Subscription,
        Body,
        Listing,
        Admin,
    }

    /// <summary>What a cell's request acts on: a topic the key with the permission covers, its SMS subscription, a message published to it.</summary>
    private sealed record Target(string Topic, string SubscriptionId, string MessageId, string KeyId, string NewName);

    /// <param name="Permission">The permission the endpoint needs; null for the admin key's endpoints.</param>
    /// <param name="Expected">
    /// What the key with the permission gets: what the endpoint answers for the target (a message's status is 404
    /// until the Sender fanned it out; the target has no dead letters, and its topic keeps no messages to replay).
    /// </param>
    private sealed record Row(string Method, string Template, string? Permission, Source Source, int[] Expected, Func<Target, string> Path, Func<Target, object?>? Body = null);

    private static readonly Row[] Rows =
    [
        new("POST", "/v1/topics", "manage", Source.Body, [201], _ => "v1/topics", t => new { name = t.NewName }),
        new("GET", "/v1/topics", "read", Source.Listing, [200], _ => "v1/topics?limit=100"),
        new("GET", "/v1/topics/{name}", "read", Source.Route, [200], t => $"v1/topics/{t.Topic}"),
        new("PATCH", "/v1/topics/{name}", "manage", Source.Route, [200], t => $"v1/topics/{t.Topic}", _ => new { displayName = "Orders" }),
        new("DELETE", "/v1/topics/{name}", "manage", Source.Route, [204], t => $"v1/topics/{t.Topic}"),
        new("POST", "/v1/topics/{name}/subscriptions", "subscribe", Source.Route, [201], t => $"v1/topics/{t.Topic}/subscriptions", _ => new { protocol = "sms", endpoint = "+15557654321" }),
        new("GET", "/v1/topics/{name}/subscriptions", "read", Source.Route, [200], t => $"v1/topics/{t.Topic}/subscriptions"),
        new("POST", "/v1/topics/{name}/messages", "publish", Source.Route, [202], t => $"v1/topics/{t.Topic}/messages", _ => new { message = "hello" }),
        new("GET", "/v1/topics/{name}/messages/{messageId}", "read", Source.Route, [200, 404], t => $"v1/topics/{t.Topic}/messages/{t.MessageId}"),
        new("GET", "/v1/topics/{name}/stats", "read", Source.Route, [200], t => $"v1/topics/{t.Topic}/stats"),
        new("GET", "/v1/subscriptions", "read", Source.Listing, [200], _ => "v1/subscriptions?limit=100"),
        new("GET", "/v1/subscriptions/{id}", "read", Source.Subscription, [200], t => $"v1/subscriptions/{t.SubscriptionId}"),
        new("PATCH", "/v1/subscriptions/{id}", "subscribe", Source.Subscription, [200], t => $"v1/subscriptions/{t.SubscriptionId}", _ => new { filterPolicy = (object?)null }),
        new("DELETE", "/v1/subscriptions/{id}", "subscribe", Source.Subscription, [204], t => $"v1/subscriptions/{t.SubscriptionId}"),
        new("POST", "/v1/subscriptions/{id}/confirmation", "subscribe", Source.Subscription, [409], t => $"v1/subscriptions/{t.SubscriptionId}/confirmation"),
        new("POST", "/v1/subscriptions/{id}/enable", "subscribe", Source.Subscription, [200], t => $"v1/subscriptions/{t.SubscriptionId}/enable"),
        new("POST", "/v1/subscriptions/{id}/secret/rotate", "subscribe", Source.Subscription, [409], t => $"v1/subscriptions/{t.SubscriptionId}/secret/rotate"),
        new("GET", "/v1/subscriptions/{id}/dead-letters", "read", Source.Subscription, [200], t => $"v1/subscriptions/{t.SubscriptionId}/dead-letters"),
        new("GET", "/v1/subscriptions/{id}/dead-letters/{messageId}", "read", Source.Subscription, [404], t => $"v1/subscriptions/{t.SubscriptionId}/dead-letters/{t.MessageId}"),
        new("POST", "/v1/subscriptions/{id}/dead-letters/redrive", "manage", Source.Subscription, [202], t => $"v1/subscriptions/{t.SubscriptionId}/dead-letters/redrive", _ => new { }),
        new("DELETE", "/v1/subscriptions/{id}/dead-letters/{messageId}", "manage", Source.Subscription, [404], t => $"v1/subscriptions/{t.SubscriptionId}/dead-letters/{t.MessageId}"),
        new("DELETE", "/v1/subscriptions/{id}/dead-letters", "manage", Source.Subscription, [204], t => $"v1/subscriptions/{t.SubscriptionId}/dead-letters"),
        new("POST", "/v1/subscriptions/{id}/replay", "manage", Source.Subscription, [409], t => $"v1/subscriptions/{t.SubscriptionId}/replay", _ => new { from = "2026-01-01T00:00:00Z", to = "2026-01-02T00:00:00Z" }),
        new("GET", "/v1/subscriptions/{id}/stats", "read", Source.Subscription, [200], t => $"v1/subscriptions/{t.SubscriptionId}/stats"),
        new("POST", "/v1/keys", null, Source.Admin, [201], _ => "v1/keys", _ => new { name = "made", permissions = new[] { "read" }, topics = new[] { "*" } }),
        new("GET", "/v1/keys", null, Source.Admin, [200], _ => "v1/keys"),
        new("GET", "/v1/keys/{id}", null, Source.Admin, [200], t => $"v1/keys/{t.KeyId}"),
        new("DELETE", "/v1/keys/{id}", null, Source.Admin, [204], t => $"v1/keys/{t.KeyId}"),
    ];

    private static readonly string[] Permissions = ["publish", "subscribe", "manage", "read"];

    private static readonly string[] Columns = ["no key", "wrong key", "expired key", "deleted key", "key without the permission", "key for another topic", "key with the permission"];

    private NotifyService Notify => fixture.Notify;

    [Fact]
    public async Task EveryEndpoint_AnswersEachKindOfCaller_AsItsPermissionSays()
    {
        var documented = await DocumentedOperationsAsync();
        var rows = Rows.Select(r => $"{r.Method} {r.Template}").ToHashSet();
        Assert.True(documented.SetEquals(rows),
            $"Endpoints with no matrix row: {string.Join(", ", documented.Except(rows))}; rows of no documented endpoint: {string.Join(", ", rows.Except(documented))}");

        await Notify.Client.CreateTopicAsync(Other + "topic");
        await Notify.Client.SubscribeAsync(Other + "topic", "sms", "+15551230000");
        var shared = await NewTargetAsync();
        var expired = await ExpiredKeyAsync();
        var deleted = await DeletedKeyAsync();
        var with = new Dictionary<string, string>();
        var without = new Dictionary<string, string>();
        var elsewhere = new Dictionary<string, string>();
        foreach (var permission in Permissions)
        {
            with[permission] = (await CreateKeyAsync($"with-{permission}", [permission], [Covered + "*"])).Key;
            without[permission] = (await CreateKeyAsync($"without-{permission}", Permissions.Where(p => !Grants(p, permission)).ToArray(), ["*"])).Key;
            elsewhere[permission] = (await CreateKeyAsync($"elsewhere-{permission}", [permission], [Other + "*"])).Key;
        }

        var everything = (await CreateKeyAsync("everything", Permissions, ["*"])).Key;
        var cells = 0;
        foreach (var row in Rows)
        {
            var name = $"{row.Method} {row.Template}";
            await ExpectUnauthorizedAsync(name, row, shared, null);
            await ExpectUnauthorizedAsync(name, row, shared with { Topic = "unknown", SubscriptionId = "unknown", KeyId = "unknown" }, null);
            await ExpectUnauthorizedAsync(name, row, shared, "nfy_" + new string('A', 43));
            await ExpectUnauthorizedAsync(name, row, shared, expired);
            await ExpectUnauthorizedAsync(name, row, shared, deleted);

            if (row.Source == Source.Admin)
            {
                await ExpectForbiddenAsync(name, row, shared, everything, "admin key");
                await ExpectForbiddenAsync(name, row, shared, with["manage"], "admin key");
                await ExpectAllowedAsync(name, row, await NewTargetAsync(), NotifyService.AdminKey);
            }
            else
            {
                var permission = row.Permission!;
                await ExpectForbiddenAsync(name, row, shared, without[permission], $"'{permission}'");
                await ExpectOtherTopicAsync(name, row, shared, elsewhere[permission], permission);
                await ExpectAllowedAsync(name, row, await NewTargetAsync(), with[permission]);
            }

            cells += Columns.Length;
        }

        output.WriteLine($"Matrix: {Rows.Length} endpoints x {Columns.Length} callers = {cells} cells.");
    }

    /// <summary>Whether <paramref name="held"/> grants what <paramref name="needed"/> allows: manage includes read.</summary>
    private static bool Grants(string held, string needed) => held == needed || (held, needed) == ("manage", "read");

    private async Task ExpectUnauthorizedAsync(string name, Row row, Target target, string? key)
    {
        using var response = await SendAsync(row, target, key);
        await Because(name, key is null ? "no key" : "an invalid key", () => ProblemAssert.IsProblemAsync(response, 401, "Authorization: Bearer"));
    }

    private async Task ExpectForbiddenAsync(string name, Row row, Target target, string key, string detail)
    {
        using var response = await SendAsync(row, target, key);
        await Because(name, "a key without the permission", () => ProblemAssert.IsProblemAsync(response, 403, detail));
    }

    /// <summary>
    /// A key with the permission on other topics: refused (403) where the topic is in the URL or the body, a
    /// subscription of the topic is unknown to it (404), and listings leave the topic out.
    /// </summary>
    private async Task ExpectOtherTopicAsync(string name, Row row, Target target, string key, string permission)
    {
        using var response = await SendAsync(row, target, key);
        switch (row.Source)
        {
            case Source.Subscription:
                await Because(name, "a key for another topic", () => ProblemAssert.IsProblemAsync(response, 404, $"Subscription '{target.SubscriptionId}' does not exist"));
                break;
            case Source.Listing:
                var listed = await Listed(response);
                Assert.True(listed.Count > 0 && listed.All(t => t.StartsWith(Other, StringComparison.Ordinal)), $"{name} with a key for other topics listed {string.Join(", ", listed)}");
                break;
            default:
                await Because(name, "a key for another topic", async () =>
                {
                    var detail = await ProblemAssert.IsProblemAsync(response, 403, $"permission on topic '{(row.Source == Source.Body ? target.NewName : target.Topic)}'");
                    Assert.Contains($"'{permission}'", detail, StringComparison.Ordinal);
                });
                break;
        }
    }

    private async Task ExpectAllowedAsync(string name, Row row, Target target, string key)
    {
        using var response = await SendAsync(row, target, key);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(row.Expected.Contains((int)response.StatusCode), $"{name} with the key that may: expected {string.Join(" or ", row.Expected)}, got {(int)response.StatusCode}: {body}");
        if ((int)response.StatusCode == 404)
        {
            Assert.DoesNotContain($"Subscription '{target.SubscriptionId}' does not exist", body, StringComparison.Ordinal);
        }

        if (row.Source == Source.Listing)
        {
            var listed = await Listed(response);
            Assert.True(listed.Count > 0 && listed.All(t => t.StartsWith(Covered, StringComparison.Ordinal)), $"{name} with a key for {Covered}* listed {string.Join(", ", listed)}");
        }
    }

    private static async Task<List<string>> Listed(HttpResponseMessage response)
    {
        var list = await NotifyClient.ExpectJsonAsync(response, 200);
        return list.GetProperty("items").EnumerateArray()
            .Select(i => (i.TryGetProperty("topic", out var topic) ? topic : i.GetProperty("name")).GetString()!)
            .ToList();
    }

    private async Task Because(string name, string caller, Func<Task> check)
    {
        try
        {
            await check();
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{name} with {caller}: {e.Message}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Row row, Target target, string? key)
    {
        using var http = OpenApiContract.CreateClient(Notify.Process.BaseAddress);
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path(target));
        if (row.Body?.Invoke(target) is { } body)
        {
            request.Content = JsonContent.Create(body);
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>A fresh topic the keys with a permission cover, its SMS subscription (confirmed at once), a message published to it, and a spare key.</summary>
    private async Task<Target> NewTargetAsync()
    {
        var topic = Covered + Guid.NewGuid().ToString("N")[..10];
        await Notify.Client.CreateTopicAsync(topic);
        var subscription = await Notify.Client.SubscribeAsync(topic, "sms", "+15551230000");
        var message = await Notify.Client.PublishAsync(topic, new { message = "hi" });
        var key = await CreateKeyAsync("spare", ["read"], [topic]);
        return new Target(topic, subscription.GetProperty("id").GetString()!, message.GetProperty("messageId").GetString()!, key.Id, Covered + "new-" + Guid.NewGuid().ToString("N")[..10]);
    }

    private async Task<(string Id, string Key)> CreateKeyAsync(string name, string[] permissions, string[] topics, DateTimeOffset? expiresAt = null)
    {
        using var response = await Notify.Client.Http.PostAsJsonAsync("v1/keys", new { name, permissions, topics, expiresAt });
        var key = await NotifyClient.ExpectJsonAsync(response, 201);
        return (key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
    }

    /// <summary>A key with every permission that worked, then passed its expiry.</summary>
    private async Task<string> ExpiredKeyAsync()
    {
        var (_, key) = await CreateKeyAsync("expiring", Permissions, ["*"], DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal(200, await StatusAsync(key));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await StatusAsync(key) != 401)
        {
            Assert.True(DateTime.UtcNow < deadline, "The key was still accepted 28 s after its expiry.");
            await Task.Delay(100);
        }

        return key;
    }

    /// <summary>A key with every permission that worked, then was deleted: refused from the next request on.</summary>
    private async Task<string> DeletedKeyAsync()
    {
        var (id, key) = await CreateKeyAsync("deleted", Permissions, ["*"]);
        Assert.Equal(200, await StatusAsync(key));
        using var deleted = await Notify.Client.Http.DeleteAsync($"v1/keys/{id}");
        Assert.Equal(204, (int)deleted.StatusCode);
        Assert.Equal(401, await StatusAsync(key));
        return key;
    }

    private async Task<int> StatusAsync(string key)
    {
        using var http = OpenApiContract.CreateClient(Notify.Process.BaseAddress);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.GetAsync($"v1/topics/{Other}topic");
        return (int)response.StatusCode;
    }

    private async Task<HashSet<string>> DocumentedOperationsAsync()
    {
        using var http = OpenApiContract.CreateClient(Notify.Process.BaseAddress);
        var document = JsonDocument.Parse(await http.GetStringAsync("openapi/v1.json")).RootElement;
        var operations = new HashSet<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/v1/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Value.TryGetProperty("security", out var security) && security.GetArrayLength() > 0)
                {
                    operations.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                }
            }
        }

        return operations;
    }
}
