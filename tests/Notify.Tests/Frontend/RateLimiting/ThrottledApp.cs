using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Notify.Frontend.Audit;
using Notify.Frontend.Errors;
using Notify.Frontend.RateLimiting;

namespace Notify.Tests.Frontend.RateLimiting;

/// <summary>
/// A Kestrel app on a loopback port with the Frontend's real throttling (its registration, middleware
/// order and publish policy) and audit trail in front of stand-in endpoints shaped like the API's: a publish, a read, and
/// an anonymous link. Principals come from <see cref="ClaimsHeaderAuthentication"/>, so keys of any
/// shape can call it.
/// </summary>
internal sealed class ThrottledApp : IAsyncDisposable
{
    public const string PublishPath = "v1/topics/orders/messages";
    public const string ReadPath = "v1/topics";
    public const string LinkPath = "v1/subscriptions/s1/confirm";

    private readonly WebApplication _app;

    private ThrottledApp(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    public static async Task<ThrottledApp> StartAsync(IReadOnlyDictionary<string, string?> limits)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        builder.Configuration.AddInMemoryCollection(limits.ToDictionary(l => $"{RateLimitOptions.SectionName}:{l.Key}", l => l.Value));
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication(ClaimsHeaderAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ClaimsHeaderAuthentication>(ClaimsHeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddNotifyRateLimiting();

        var app = builder.Build();
        app.UseAuditLog();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapPost("/" + PublishPath, () => Results.Accepted()).WithName("Publish").RequireAuthorization().RequireRateLimiting(RateLimitingRegistration.PublishPolicy);
        app.MapGet("/" + ReadPath, () => Results.Ok()).RequireAuthorization();
        app.MapGet("/" + LinkPath, () => Results.Ok()).AllowAnonymous();
        await app.StartAsync();

        var address = app.Urls.First();
        return new ThrottledApp(app, new HttpClient { BaseAddress = new Uri(address + "/") });
    }

    /// <summary>One call as the given key (null: no credentials), with its role and further claims.</summary>
    public async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, string? keyId, string? role = null, params string[] claims)
    {
        using var request = new HttpRequestMessage(method, path);
        if (keyId is not null)
        {
            request.Headers.Add("X-Test-Key", keyId);
        }

        if (role is not null)
        {
            request.Headers.Add("X-Test-Role", role);
        }

        foreach (var claim in claims)
        {
            request.Headers.Add("X-Test-Claim", claim);
        }

        var response = await Http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public Task<HttpResponseMessage> PublishAsync(string? keyId, string? role = null, params string[] claims) =>
        CallAsync(HttpMethod.Post, PublishPath, keyId, role, claims);

    public Task<HttpResponseMessage> ReadAsync(string? keyId, string? role = null, params string[] claims) =>
        CallAsync(HttpMethod.Get, ReadPath, keyId, role, claims);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Retry-After in whole seconds, as the answer gives it.</summary>
    public static int RetryAfterSeconds(HttpResponseMessage response) =>
        (int)(response.Headers.RetryAfter?.Delta ?? throw new InvalidOperationException("The answer has no Retry-After in seconds.")).TotalSeconds;
}
