using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Notify.Shared.Messages;
using Notify.Shared.Resilience;
using Notify.Shared.Webhooks;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>
/// POSTs a <see cref="WebhookRequest"/> through the retry pipeline until a 2xx, a permanent failure, a
/// refusal by the private-network guard, or the last attempt. Only the status line and headers of a
/// response are read, and every response is disposed before the next attempt.
/// </summary>
internal sealed partial class WebhookSender
{
    /// <summary>The named HttpClient; its primary handler enforces the private-network guard.</summary>
    public const string HttpClientName = "Notify.Webhooks";

    private static readonly ResiliencePropertyKey<Call> CallKey = new("Notify.WebhookCall");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WebhookSender> _logger;
    private readonly ResiliencePipeline<WebhookAttempt> _pipeline;
    private readonly TimeSpan _attemptTimeout;

    public WebhookSender(
        IHttpClientFactory httpClientFactory,
        IOptions<WebhookOptions> options,
        TimeProvider timeProvider,
        ILogger<WebhookSender> logger)
    {
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _logger = logger;
        _attemptTimeout = options.Value.AttemptTimeout;
        _pipeline = WebhookRetryPolicy.Build(options.Value, timeProvider, OnRetry);
    }

    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DeliveryResult> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        if (request.Plan is { } plan)
        {
            await plan.WaitToSendAsync(cancellationToken);
        }

        var call = new Call(request, _httpClientFactory.CreateClient(HttpClientName));
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        Outcome<WebhookAttempt> outcome;
        try
        {
            context.Properties.Set(CallKey, call);
            request.Plan?.AttachTo(context);
            outcome = await _pipeline.ExecuteOutcomeAsync(
                static (context, state) => state.Sender.AttemptAsync(state.Call, context.CancellationToken),
                context,
                (Sender: this, Call: call));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        // Cancelled by the caller (shutdown): not delivered and not given up, so the message goes back
        // to the queue. An answer that arrived just before the cancellation still counts.
        if (outcome.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        var status = Describe(outcome);
        if (outcome.Exception is null && outcome.Result.Succeeded)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.Delivered(_logger, request.MessageType, request.MessageId, request.SubscriptionId, call.Endpoint, call.Attempts, status);
            }

            return DeliveryResult.Success(call.Attempts, status) with { History = call.History };
        }

        if (outcome.Exception is null && outcome.Result.Refusal is { } refusal)
        {
            Log.Refused(_logger, request.MessageType, request.MessageId, request.SubscriptionId, call.Endpoint, refusal);
        }

        return DeliveryResult.GaveUp(call.Attempts, status, CodeOf(outcome)) with
        {
            Permanent = outcome.Exception is null && outcome.Result.IsPermanentFailure,
            RetryAfter = outcome.Exception is null ? outcome.Result.RetryAfter : null,
            History = call.History,
        };
    }

    /// <summary>One POST. Must not throw (Polly's outcome API): failures come back as outcomes.</summary>
    private async ValueTask<Outcome<WebhookAttempt>> AttemptAsync(Call call, CancellationToken cancellationToken)
    {
        call.Attempts++;
        var number = call.FirstAttempt + call.Attempts - 1;
        var startedAt = _timeProvider.GetUtcNow();
        var outcome = await SendOnceAsync(call, number, cancellationToken);
        call.History.Add(DeliveryAttempt.Of(number, startedAt, Describe(outcome)));
        return outcome;
    }

    private async ValueTask<Outcome<WebhookAttempt>> SendOnceAsync(Call call, int number, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(call.Request.Body);
            content.Headers.ContentType = Json;
            using var message = new HttpRequestMessage(HttpMethod.Post, call.Request.Endpoint) { Content = content };
            message.Headers.TryAddWithoutValidation("User-Agent", WebhookHeaders.UserAgent);
            message.Headers.TryAddWithoutValidation(WebhookHeaders.MessageType, call.Request.MessageType);
            message.Headers.TryAddWithoutValidation(WebhookHeaders.MessageId, call.Request.MessageId);
            message.Headers.TryAddWithoutValidation(WebhookHeaders.SubscriptionId, call.Request.SubscriptionId);
            message.Headers.TryAddWithoutValidation(WebhookHeaders.Attempt, number.ToString(CultureInfo.InvariantCulture));
            if (call.Request.Replay)
            {
                message.Headers.TryAddWithoutValidation(WebhookHeaders.Replay, "true");
            }

            AddStandardWebhookHeaders(message, call.Request);

            using var response = await call.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return Outcome.FromResult(new WebhookAttempt((int)response.StatusCode, RetryAfter(response), null));
        }
        catch (HttpRequestException ex) when (Find<ForbiddenAddressException>(ex) is { } forbidden)
        {
            return Outcome.FromResult(WebhookAttempt.Refused(forbidden.Reason));
        }
        catch (Exception ex)
        {
            return Outcome.FromException<WebhookAttempt>(ex);
        }
    }

    /// <summary>
    /// The Standard Webhooks headers, made again for each attempt: its own timestamp, and a signature over it
    /// and the exact bytes sent, with the secrets active now (during a rotation's overlap, both).
    /// </summary>
    private void AddStandardWebhookHeaders(HttpRequestMessage message, WebhookRequest request)
    {
        var now = _timeProvider.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        message.Headers.TryAddWithoutValidation(WebhookHeaders.WebhookId, request.WebhookId);
        message.Headers.TryAddWithoutValidation(WebhookHeaders.WebhookTimestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        if (request.Secrets is { } secrets && WebhookSigner.Keys(secrets.ActiveAt(now)) is { Count: > 0 } keys)
        {
            message.Headers.TryAddWithoutValidation(WebhookHeaders.WebhookSignature, WebhookSigner.Sign(request.WebhookId, timestamp, request.Body, keys));
        }
    }

    private ValueTask OnRetry(OnRetryArguments<WebhookAttempt> args)
    {
        if (args.Context.Properties.TryGetValue(CallKey, out var call))
        {
            Log.RetryScheduled(
                _logger, call.Request.MessageType, call.Request.MessageId, call.Request.SubscriptionId, call.Endpoint,
                args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
        }

        return ValueTask.CompletedTask;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfterHeader.Delay(response.Headers.RetryAfter, _timeProvider);

    /// <summary>A short status for logs and results: no URL, no body.</summary>
    private string Describe(Outcome<WebhookAttempt> outcome) => outcome.Exception switch
    {
        null => outcome.Result.Status,
        TimeoutRejectedException => $"timed out after {_attemptTimeout.TotalSeconds:0.###}s",
        HttpRequestException ex when Find<SocketException>(ex) is { } socket => $"connection failed ({socket.SocketErrorCode})",
        HttpRequestException ex => $"connection failed ({ex.HttpRequestError})",
        var ex => ex.GetType().Name,
    };

    /// <summary>The give-up's code for the subscription's owner (<see cref="DeliveryResult.Code"/>).</summary>
    private static string CodeOf(Outcome<WebhookAttempt> outcome) => outcome.Exception switch
    {
        null when outcome.Result.Refusal is not null => "forbidden-address",
        null => $"http:{outcome.Result.StatusCode}",
        TimeoutRejectedException => "timeout",
        HttpRequestException => "connection-failed",
        _ => "failed",
    };

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>The state of one delivery across its attempts.</summary>
    private sealed class Call(WebhookRequest request, HttpClient client)
    {
        public WebhookRequest Request { get; } = request;
        public HttpClient Client { get; } = client;
        private string? _endpoint;

        /// <summary>For logs only, so made on first use: most deliveries log nothing.</summary>
        public string Endpoint => _endpoint ??= EndpointLabel.For(Request.Endpoint);

        public int Attempts { get; set; }
        public int FirstAttempt { get; } = request.Plan?.FirstAttempt ?? 1;
        public List<DeliveryAttempt> History { get; } = [];
    }

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Debug,
            "Delivered {MessageType} {MessageId} to subscription {SubscriptionId} at {Endpoint} after {Attempts} attempt(s): {Status}",
            EventName = "WebhookDelivered")]
        public static partial void Delivered(
            ILogger logger, string messageType, string messageId, string subscriptionId, string endpoint, int attempts, string status);

        [LoggerMessage(301, LogLevel.Information,
            "{MessageType} {MessageId} for subscription {SubscriptionId} at {Endpoint}: attempt {Attempt} failed ({Status}); retrying in {Delay}",
            EventName = "WebhookRetryScheduled")]
        public static partial void RetryScheduled(
            ILogger logger, string messageType, string messageId, string subscriptionId, string endpoint, int attempt, string status, TimeSpan delay);

        [LoggerMessage(302, LogLevel.Warning,
            "Refused to deliver {MessageType} {MessageId} for subscription {SubscriptionId}: {Endpoint} {Reason}",
            EventName = "WebhookRefused")]
        public static partial void Refused(
            ILogger logger, string messageType, string messageId, string subscriptionId, string endpoint, string reason);
    }
}
