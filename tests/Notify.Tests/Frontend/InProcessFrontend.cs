using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Notify.Frontend.Api;
using Notify.Frontend.Keys;
using Notify.Frontend.Extensions;
using Notify.Shared.Health;
using Notify.Tests.Support;

namespace Notify.Tests.Frontend;

/// <summary>
/// The Frontend as Program.cs builds it (its services, middleware and the topic, subscription and
/// message APIs) in Embedded mode on a fresh data directory, listening on a loopback port, with its
/// logs captured: for what only the logs show.
/// </summary>
internal sealed class InProcessFrontend : IAsyncDisposable
{
    public const string AdminKey = "in-process-admin-key-5b1f";

    private readonly WebApplication _app;
    private readonly TempDirectory _data;

    private InProcessFrontend(WebApplication app, TempDirectory data, Uri address)
    {
        _app = app;
        _data = data;
        Address = address;
    }

    public Uri Address { get; }

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    /// <summary>A client that sends the admin key (or <paramref name="key"/>; null for none).</summary>
    public HttpClient Client(string? key = AdminKey)
    {
        var http = new HttpClient { BaseAddress = Address };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return http;
    }

    public static async Task<InProcessFrontend> StartAsync()
    {
        var data = new TempDirectory();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = data.Path });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:DataDirectory"] = data.Path,
            ["Notify:Auth:AdminKey"] = AdminKey,
            ["Notify:Sender:InProcess"] = "false",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        builder.AddNotifyFrontend();

        var app = builder.Build();
        app.UseNotifyFrontend();
        app.MapNotifyHealth();
        app.MapTopicsApi();
        app.MapSubscriptionsApi();
        app.MapMessagesApi();
        app.MapKeysApi();
        app.MapSubscriptionLinksApi();
        await app.StartAsync();

        var address = app.Urls.First();
        return new InProcessFrontend(app, data, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
