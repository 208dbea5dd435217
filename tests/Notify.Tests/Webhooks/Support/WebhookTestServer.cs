using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Notify.Tests.Sender.Support;

namespace Notify.Tests.Webhooks.Support;

/// <summary>
/// A real webhook endpoint: Kestrel on 127.0.0.1 and a free port, answering with a script of responses
/// (then 200) and recording every request it receives.
/// </summary>
internal sealed class WebhookTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _script;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Channel<RecordedRequest> _arrivals = Channel.CreateUnbounded<RecordedRequest>();

    private WebhookTestServer(WebApplication app, IEnumerable<Reply> script)
    {
        _app = app;
        _script = new ConcurrentQueue<Reply>(script);
        _app.Run(HandleAsync);
    }

    /// <summary>The server's base URL, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyCollection<RecordedRequest> Requests => _requests.ToArray();

    public static Task<WebhookTestServer> StartAsync(params int[] statuses) =>
        StartAsync(statuses.Select(status => new Reply(status)).ToArray());

    public static async Task<WebhookTestServer> StartAsync(params Reply[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new WebhookTestServer(builder.Build(), script);
        await server._app.StartAsync();
        server.BaseUrl = new Uri(server._app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>A URL on this server with a path and query, like the secrets-bearing URLs real endpoints use.</summary>
    public Uri Url(string pathAndQuery = "hooks/orders") => new(BaseUrl, pathAndQuery);

    public Task<RecordedRequest> NextRequestAsync() => Eventually.Within(_arrivals.Reader.ReadAsync().AsTask());

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        _requests.Enqueue(request);
        _arrivals.Writer.TryWrite(request);

        var reply = _script.TryDequeue(out var next) ? next : new Reply(200);
        if (reply.Hang)
        {
            // No answer: the client's attempt timeout has to end this request.
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        if (reply.Location is not null)
        {
            context.Response.Headers.Location = reply.Location;
        }
    }

    /// <param name="Hang">Never answer; the request ends when the client gives up on it.</param>
    public sealed record Reply(int Status, string? RetryAfter = null, string? Location = null, bool Hang = false);

    public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);
}
