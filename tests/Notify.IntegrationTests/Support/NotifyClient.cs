using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Notify.IntegrationTests.Support;

/// <summary>The public HTTP API as a publisher calls it, with a bearer key.</summary>
public sealed class NotifyClient : IDisposable
{
    public NotifyClient(Uri baseAddress, string? apiKey)
    {
        Http = OpenApiContract.CreateClient(baseAddress);
        if (apiKey is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public HttpClient Http { get; }

    public async Task<JsonElement> CreateTopicAsync(string name)
    {
        using var response = await Http.PostAsJsonAsync("v1/topics", new { name });
        return await ExpectJsonAsync(response, 200, 201);
    }

    public async Task<JsonElement> SubscribeAsync(string topic, string protocol, string endpoint)
    {
        using var response = await Http.PostAsJsonAsync($"v1/topics/{topic}/subscriptions", new { protocol, endpoint });
        return await ExpectJsonAsync(response, 200, 201);
    }

    public async Task<JsonElement> PublishAsync(string topic, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/topics/{topic}/messages") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await Http.SendAsync(request);
        return await ExpectJsonAsync(response, 202);
    }

    /// <summary>Follows a confirm link as the endpoint's owner would: no API key.</summary>
    public static async Task<JsonElement> FollowLinkAsync(string url)
    {
        using var http = OpenApiContract.CreateClient();
        using var response = await http.GetAsync(url);
        return await ExpectJsonAsync(response, 200);
    }

    public static async Task<JsonElement> ExpectJsonAsync(HttpResponseMessage response, params int[] statuses)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!statuses.Contains((int)response.StatusCode))
        {
            throw new HttpRequestException($"Expected {string.Join(" or ", statuses)} but got {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => Http.Dispose();
}
