using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Notify.Bench.FanOut;

/// <summary>
/// Every subscriber's endpoint: one Kestrel app on 127.0.0.1 in this process, answering 200 to
/// <c>POST /s/{i}</c> after reading the body, and counting arrivals per subscriber with the first and last
/// arrival time. It keeps the first request it sees (body and headers) so the baseline can send the same.
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    public const string PathPrefix = "/s/";

    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Connection", "Transfer-Encoding", "Content-Type",
    };

    private readonly WebApplication _app;
    private int[] _perSubscriber = [];
    private IReadOnlySet<string> _earlier = new HashSet<string>();
    private int _earlierRequests;
    private int _requests;
    private int _distinct;
    private long _first;
    private long _last;
    private TaskCompletionSource _everyone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Receiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The body of the first request since the last <see cref="Reset"/> that kept one.</summary>
    public byte[]? SampleBody { get; private set; }

    public string? SampleContentType { get; private set; }

    /// <summary>The first request's headers, minus those HttpClient sets itself.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SampleHeaders { get; private set; } = [];

    public int Requests => Volatile.Read(ref _requests);

    public int Distinct => Volatile.Read(ref _distinct);

    /// <summary>Requests for a message of an earlier run (its X-Notify-Message-Id), counted apart from this run's.</summary>
    public int EarlierRequests => Volatile.Read(ref _earlierRequests);

    /// <summary>Stopwatch timestamps of the first and last arrival (0 before any).</summary>
    public (long First, long Last) Arrivals => (Interlocked.Read(ref _first), Interlocked.Read(ref _last));

    /// <summary>Many messages to the same subscribers: every request is also recorded here while it is set (after <see cref="Reset"/>).</summary>
    public DeliveryTally? Tally { get; set; }

    /// <summary>Completes when every one of the expected subscribers has had at least one request.</summary>
    public Task Everyone => _everyone.Task;

    /// <summary>The subscribers reached more than once, as ranges of indexes ("1000-1249 (x2)").</summary>
    public string RepeatedRanges()
    {
        var counts = _perSubscriber;
        var ranges = new List<string>();
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 2)
            {
                continue;
            }

            var start = i;
            while (i + 1 < counts.Length && counts[i + 1] == counts[start])
            {
                i++;
            }

            ranges.Add($"{start}-{i} (x{counts[start]})");
        }

        return string.Join(", ", ranges);
    }

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        Receiver? receiver = null;
        app.Run(context => receiver!.HandleAsync(context));
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        receiver = new Receiver(app, address);
        return receiver;
    }

    public Uri Url(int subscriber) => new(BaseAddress, PathPrefix + subscriber.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Forgets the counts and expects <paramref name="subscribers"/> distinct paths from now on.</summary>
    /// <param name="earlier">Message ids published before: their deliveries are counted apart, never as this run's repeats.</param>
    public void Reset(int subscribers, bool keepSample, IReadOnlySet<string>? earlier = null)
    {
        _perSubscriber = new int[subscribers];
        _earlier = earlier ?? new HashSet<string>();
        _earlierRequests = 0;
        _requests = 0;
        _distinct = 0;
        _first = 0;
        _last = 0;
        _everyone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Tally = null;
        if (!keepSample)
        {
            SampleBody = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        // The same clock as the Frontend's, which stamped the notification's timestamp.
        var arrival = DateTimeOffset.UtcNow;
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (!HttpMethods.IsPost(request.Method) || !path.StartsWith(PathPrefix, StringComparison.Ordinal)
            || !int.TryParse(path.AsSpan(PathPrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var index)
            || index < 0 || index >= _perSubscriber.Length)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var messageId = request.Headers["X-Notify-Message-Id"].ToString();
        if (messageId.Length > 0 && _earlier.Contains(messageId))
        {
            await request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref _earlierRequests);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var tally = Tally;
        byte[] body = [];
        if (SampleBody is null || tally is { TimeLatency: true })
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy);
            body = copy.ToArray();
        }
        else
        {
            await request.Body.CopyToAsync(Stream.Null);
        }

        if (SampleBody is null)
        {
            lock (_app)
            {
                if (SampleBody is null)
                {
                    SampleContentType = request.ContentType;
                    SampleHeaders = [.. request.Headers
                        .Where(h => !NotCopied.Contains(h.Key))
                        .Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()))];
                    SampleBody = body;
                }
            }
        }

        var now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref _first, now, 0);
        long last;
        do
        {
            last = Interlocked.Read(ref _last);
        }
        while (now > last && Interlocked.CompareExchange(ref _last, now, last) != last);

        Interlocked.Increment(ref _requests);
        var counts = _perSubscriber;
        if (Interlocked.Increment(ref counts[index]) == 1 && Interlocked.Increment(ref _distinct) == counts.Length)
        {
            _everyone.TrySetResult();
        }

        tally?.Record(messageId, index, body, arrival);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
