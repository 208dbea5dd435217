using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Notify.Bench.Publish;

/// <summary>
/// The subscribers' endpoint: a Kestrel app on 127.0.0.1 in this process that answers 200 to every POST
/// after reading its body, and remembers each distinct <c>X-Notify-Message-Id</c>: the messages the
/// Sender processed, for the durability check after the kill.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _messageIds = new();
    private long _requests;

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
        BaseAddress = new Uri(app.Urls.First());
    }

    public Uri BaseAddress { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public ICollection<string> MessageIds => _messageIds.Keys;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver[1];
        app.Run(context => receiver[0].HandleAsync(context));
        await app.StartAsync();
        receiver[0] = new WebhookReceiver(app);
        return receiver[0];
    }

    public Uri Url(int subscriber) => new(BaseAddress, "/hook/" + subscriber.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task HandleAsync(HttpContext context)
    {
        // Remembered before the 200: the Sender deletes a message from the queue only after its deliveries
        // were answered, so a message missing from queue.db after the kill is always already in this set.
        Interlocked.Increment(ref _requests);
        if (context.Request.Headers["X-Notify-Message-Id"].ToString() is { Length: > 0 } messageId)
        {
            _messageIds.TryAdd(messageId, 0);
        }

        await context.Request.Body.CopyToAsync(Stream.Null);

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
