using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Notify.IntegrationTests.Support;

/// <summary>One webhook request as the endpoint saw it.</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    /// <summary>The body's bytes exactly as they arrived: what a signature is checked over.</summary>
    public byte[] RawBody { get; init; } = [];

    /// <summary>When the request arrived (its headers and body read), on the test's clock: for tests of delivery timing.</summary>
    public DateTimeOffset ArrivedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// A real HTTP endpoint on loopback (Kestrel) standing in for a subscriber's webhook server. It records
/// every request as it arrives and answers what <see cref="Respond"/> says after <see cref="Delay"/>,
/// unless the caller hangs up first.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentQueue<(ReceivedWebhook Request, int Status)> _answered = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _hungUp = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status code to answer a request with; 200 unless set.</summary>
    public Func<ReceivedWebhook, int> Respond { get; set; } = _ => StatusCodes.Status200OK;

    /// <summary>How long to wait before answering (a slow endpoint).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>Requests never to answer: each waits until the caller hangs up, and is then listed in <see cref="HungUp"/>.</summary>
    public Func<ReceivedWebhook, bool> Hold { get; set; } = _ => false;

    /// <summary>The held requests whose caller hung up.</summary>
    public IReadOnlyCollection<ReceivedWebhook> HungUp => _hungUp.ToArray();

    public Uri Url(string path = "hook") => new(BaseAddress, path);

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request as it arrived, whether or not it was answered.</summary>
    public IReadOnlyCollection<ReceivedWebhook> Received => _received.ToArray();

    /// <summary>The requests answered before the caller hung up, with the status they got.</summary>
    public IReadOnlyCollection<(ReceivedWebhook Request, int Status)> Answered => _answered.ToArray();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Map("/{**path}", async (HttpContext context) =>
        {
            using var raw = new MemoryStream();
            await context.Request.Body.CopyToAsync(raw);
            var request = new ReceivedWebhook(
                context.Request.Path,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                System.Text.Encoding.UTF8.GetString(raw.GetBuffer(), 0, (int)raw.Length))
            {
                RawBody = raw.ToArray(),
                ArrivedAt = DateTimeOffset.UtcNow,
            };
            receiver._received.Enqueue(request);
            receiver._arrived.Release();
            if (receiver.Hold(request))
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    receiver._hungUp.Enqueue(request);
                    receiver._arrived.Release();
                }

                return Results.Empty;
            }

            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay, context.RequestAborted);
            }

            var status = receiver.Respond(request);
            receiver._answered.Enqueue((request, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address + "/");
        return receiver;
    }

    /// <summary>Waits until a held request satisfying <paramref name="condition"/> was hung up on.</summary>
    public async Task WaitForHangUpAsync(Func<ReceivedWebhook, bool> condition, TimeSpan timeout, string what) =>
        await WaitUntilAsync(_ => HungUp.Any(condition), timeout, what);

    /// <summary>How many requests arrived so far; cheap to read, for waits on tens of thousands of requests.</summary>
    public int Count => _received.Count;

    /// <summary>
    /// Waits until at least <paramref name="count"/> requests arrived, looking at the count only (every
    /// 200 ms or at an arrival), so a wait for tens of thousands of requests costs nothing per request.
    /// </summary>
    public async Task WaitForCountAsync(int count, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_received.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}; received {_received.Count} request(s).");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits until the recorded requests satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyCollection<ReceivedWebhook>> WaitUntilAsync(
        Func<IReadOnlyCollection<ReceivedWebhook>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var snapshot = Received;
            if (condition(snapshot))
            {
                return snapshot;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}; received {snapshot.Count} request(s).");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>The notifications received so far, by message id.</summary>
    public IReadOnlyList<ReceivedWebhook> Notifications => Received.Where(r => r.Type == "Notification").ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }
}
