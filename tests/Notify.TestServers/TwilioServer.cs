using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Notify.TestServers;

/// <summary>
/// A stand-in for Twilio's Messages API (2010-04-01), in process on a free loopback port: Twilio cannot be
/// reached from the tests, so this speaks its HTTP contract as Twilio documents it. <c>POST
/// /2010-04-01/Accounts/{AccountSid}/Messages.json</c> with HTTP basic credentials
/// <c>AccountSid:AuthToken</c> and form fields <c>To</c>, <c>From</c> or <c>MessagingServiceSid</c>,
/// <c>Body</c> creates a message (201 and the Message resource); anything wrong gets Twilio's error body
/// and status. Tests can script failures and slowness, and read every request back.
/// </summary>
/// <remarks>
/// Not modelled: delivery itself (no status callbacks are made; <c>StatusCallback</c> is only recorded),
/// API-key credentials, media and content templates (a body is required), and the default Messaging
/// Service Twilio now reports for a message sent from a number (<c>messaging_service_sid</c> is what the
/// request gave, else null). A <c>To</c> is never judged invalid unless <see cref="FailNumber"/> says so.
/// </remarks>
public sealed class TwilioServer : IAsyncLifetime
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly Lock _lock = new();
    private readonly List<TwilioRequest> _requests = [];
    private readonly Queue<TwilioAnswer> _nextFailures = new();
    private readonly ConcurrentDictionary<string, TwilioAnswer> _failingNumbers = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private Uri? _baseUrl;

    /// <summary>The account the credentials and the path must name; a fresh <c>AC…</c> SID unless set.</summary>
    public string AccountSid { get; set; } = "AC" + Guid.NewGuid().ToString("N");

    /// <summary>The auth token the credentials must carry; read per request, so a test can rotate it.</summary>
    public string AuthToken { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:5123/</c>: what stands for <c>https://api.twilio.com</c>.</summary>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The Twilio server has not been started.");

    /// <summary>
    /// How long every answer waits (a slow Twilio). The outcome is settled when the request arrives, so a
    /// caller that hangs up meanwhile still has its message created, as with the real service.
    /// </summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>Every request to the Messages endpoint answered (or abandoned by its caller) so far, in order.</summary>
    public IReadOnlyList<TwilioRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>The requests that created a message (answered 201).</summary>
    public IReadOnlyList<TwilioRequest> Sent => Requests.Where(request => request.Status == StatusCodes.Status201Created).ToList();

    /// <summary>
    /// Makes every valid request to <paramref name="to"/> fail with Twilio's error body, e.g. 400/21211
    /// ("The 'To' number … is not a valid phone number.") or 400/21610 ("Attempt to send to unsubscribed
    /// recipient"), until <see cref="Reset"/>.
    /// </summary>
    public void FailNumber(string to, int httpStatus, int twilioCode, string message) =>
        _failingNumbers[to] = TwilioResponses.Error(httpStatus, twilioCode, message);

    /// <summary>
    /// Makes the next <paramref name="count"/> authenticated requests fail, whatever they ask, as a
    /// throttled or failing Twilio does: 429 (20429 Too Many Requests), 500 (20500 Internal Server Error)
    /// or 503 (20503 Service Unavailable), with <c>Retry-After</c> when given. Calls queue up in order.
    /// </summary>
    public void FailNextRequests(int count, int httpStatus, int? retryAfterSeconds = null)
    {
        var (code, message) = httpStatus switch
        {
            StatusCodes.Status429TooManyRequests => (20429, "Too Many Requests"),
            StatusCodes.Status500InternalServerError => (20500, "Internal Server Error"),
            StatusCodes.Status503ServiceUnavailable => (20503, "Service Unavailable"),
            _ => throw new ArgumentOutOfRangeException(nameof(httpStatus), httpStatus, "A transient failure is a 429, 500 or 503."),
        };
        var failure = TwilioResponses.Error(httpStatus, code, message) with { RetryAfterSeconds = retryAfterSeconds };
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _nextFailures.Enqueue(failure);
            }
        }
    }

    /// <summary>Forgets the requests recorded and every scripted failure, and answers without delay again.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _requests.Clear();
            _nextFailures.Clear();
        }

        _failingNumbers.Clear();
        Delay = TimeSpan.Zero;
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> created messages match, and returns every matching
    /// one (more than <paramref name="count"/> when more came, so a test can see duplicates).
    /// </summary>
    /// <exception cref="TimeoutException">Fewer within <paramref name="timeout"/>; names <paramref name="what"/>.</exception>
    public async Task<IReadOnlyList<TwilioRequest>> WaitForSentAsync(Func<TwilioRequest, bool> match, int count, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var requests = Requests;
            var matching = requests.Where(request => request.Status == StatusCodes.Status201Created && match(request)).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var seen = string.Join("", requests.TakeLast(20).Select(r => $"\n  {r.Status} to {r.Form.GetValueOrDefault("To")}"));
                throw new TimeoutException(
                    $"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}: {matching.Count} of {count} matching message(s) sent, {requests.Count} request(s) in all.{seen}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Starts listening on a port the system picks (no race for a free one).</summary>
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", (HttpContext context, string accountSid) => CreateMessageAsync(context, accountSid));
        // Not MapFallback's default pattern: its "nonfile" constraint skips paths ending in ".json".
        app.MapFallback("{**path}", (HttpContext context) => WriteAsync(context.Response, NotFound(context.Request.Path)));
        await app.StartAsync();
        _app = app;
        _baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>Stops the server; answers still waiting out <see cref="Delay"/> are abandoned.</summary>
    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task CreateMessageAsync(HttpContext context, string accountSid)
    {
        var at = DateTimeOffset.UtcNow;
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.Request.HasFormContentType)
        {
            foreach (var field in await context.Request.ReadFormAsync(context.RequestAborted))
            {
                form[field.Key] = field.Value.ToString();
            }
        }

        var (user, password) = BasicCredentials(context.Request);
        var answer = Decide(context.Request.Path, accountSid, user, password, form, at);
        var answered = await WaitOutDelayAsync(context);
        lock (_lock)
        {
            _requests.Add(new TwilioRequest(accountSid, user, password, form, answer.Status, at) { MessageSid = answer.MessageSid, Abandoned = !answered });
        }

        if (answered)
        {
            await WriteAsync(context.Response, answer);
        }
    }

    // In Twilio's order: who is asking, for which account, whether Twilio is well, then the request.
    private TwilioAnswer Decide(string path, string accountSid, string? user, string? password, Dictionary<string, string> form, DateTimeOffset at)
    {
        if (user != AccountSid || password != AuthToken)
        {
            return TwilioResponses.Error(401, 20003, "Authenticate", "Your AccountSid or AuthToken was incorrect.") with { Challenge = true };
        }

        if (accountSid != AccountSid)
        {
            return NotFound(path);
        }

        lock (_lock)
        {
            if (_nextFailures.TryDequeue(out var failure))
            {
                return failure;
            }
        }

        var to = Field(form, "To");
        var from = Field(form, "From");
        var service = Field(form, "MessagingServiceSid");
        var body = Field(form, "Body");
        if (to is null)
        {
            return TwilioResponses.Error(400, 21604, "A 'To' phone number is required.");
        }

        if (from is null && service is null)
        {
            return TwilioResponses.Error(400, 21603, "A 'From' phone number is required.");
        }

        if (body is null)
        {
            return TwilioResponses.Error(400, 21602, "Message body is required.");
        }

        if (body.Length > 1600)
        {
            return TwilioResponses.Error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
        }

        return _failingNumbers.TryGetValue(to, out var scripted)
            ? scripted
            : TwilioResponses.MessageCreated(accountSid, to, from, service, body, at);
    }

    private static TwilioAnswer NotFound(string path) =>
        TwilioResponses.Error(404, 20404, $"The requested resource {path} was not found");

    private static string? Field(Dictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static (string? User, string? Password) BasicCredentials(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (pair, null) : (pair[..colon], pair[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    // False when the caller hung up, or the server stopped, before the delay was over.
    private async Task<bool> WaitOutDelayAsync(HttpContext context)
    {
        var delay = Delay;
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, either.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WriteAsync(HttpResponse response, TwilioAnswer answer)
    {
        response.StatusCode = answer.Status;
        if (answer.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (answer.Challenge)
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
        }

        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, answer.Body);
    }
}
