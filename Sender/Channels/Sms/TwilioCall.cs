using System.Net.Http.Headers;

namespace Notify.Sender.Channels.Sms;

/// <summary>
/// One call through Twilio's SDK, as the HTTP pipeline beneath the SDK sees it. The SDK's
/// <c>MessageResource.CreateAsync</c> takes no cancellation token, and the <c>ApiException</c> it throws
/// for a failed answer carries neither the answer's headers (<c>Retry-After</c>) nor, when the body is not
/// Twilio's JSON (a proxy's HTML 502), its HTTP status. So the call travels to
/// <see cref="TwilioCallHandler"/> in an <see cref="AsyncLocal{T}"/>, which flows down through the SDK's
/// awaits: the handler sends with the call's token and notes here what came back.
/// </summary>
internal sealed class TwilioCall : IDisposable
{
    private static readonly AsyncLocal<TwilioCall?> Ambient = new();

    private TwilioCall(CancellationToken cancellationToken) => CancellationToken = cancellationToken;

    /// <summary>The call in progress on this flow of execution; null outside <see cref="Begin"/>.</summary>
    public static TwilioCall? Current => Ambient.Value;

    /// <summary>Cancels the HTTP request: the attempt's timeout, or the Sender shutting down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The HTTP status of the answer; null until one came.</summary>
    public int? Status { get; private set; }

    /// <summary>The answer's <c>Retry-After</c>, if it had one.</summary>
    public RetryConditionHeaderValue? RetryAfter { get; private set; }

    /// <summary>Starts a call on this flow of execution; dispose it when the SDK call has returned.</summary>
    public static TwilioCall Begin(CancellationToken cancellationToken)
    {
        var call = new TwilioCall(cancellationToken);
        Ambient.Value = call;
        return call;
    }

    public void Observe(HttpResponseMessage response)
    {
        Status = (int)response.StatusCode;
        RetryAfter = response.Headers.RetryAfter;
    }

    public void Dispose() => Ambient.Value = null;
}
