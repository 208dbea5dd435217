using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Notify.Bench.ControlPlane;

/// <summary>
/// The webhook endpoints subscribed: every new webhook subscription is sent a confirmation request by the
/// Frontend's in-process Sender, which this answers 204 (leaving the subscription pending), so the Sender
/// does no retries against a closed port while the control plane is measured.
/// </summary>
internal sealed class ConfirmationReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ConfirmationReceiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ConfirmationReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/hooks/{id}", () => Results.NoContent());
        await app.StartAsync();
        return new ConfirmationReceiver(app, new Uri(app.Urls.First() + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
