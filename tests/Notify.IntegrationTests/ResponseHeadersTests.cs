using System.Net;
using System.Text;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>The headers every answer of a running Frontend carries, served over plain HTTP.</summary>
public sealed class ResponseHeadersTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    public static TheoryData<string, string, string?, bool, int> Answers => new()
    {
        // method, path, body, with the key, status
        { "GET", "healthz", null, false, 200 },
        { "GET", "v1/topics", null, true, 200 },
        { "POST", "v1/topics", """{"name":"orders"}""", true, 201 },
        { "POST", "v1/topics", """{"name":"not a name!"}""", true, 400 },
        { "GET", "v1/topics/nothing-here", null, true, 404 },
        { "GET", "no/such/path", null, false, 404 },
        { "GET", "v1/topics", null, false, 401 },
        { "GET", "openapi/v1.json", null, false, 200 },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task EveryAnswer_HasNosniffAndNoStore_AndNoServerHeader(string method, string path, string? body, bool withKey, int status)
    {
        var notify = fixture.Notify;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = notify.Process.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (withKey)
        {
            request.Headers.Authorization = new("Bearer", NotifyService.AdminKey);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control is '{response.Headers.CacheControl}'");
        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(',', response.Headers.TryGetValues("Server", out var server) ? server : [])}");

        // Served over plain HTTP only: no HSTS, and no redirection to an https port nothing listens on.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.NotEqual(HttpStatusCode.TemporaryRedirect, response.StatusCode);
    }
}
