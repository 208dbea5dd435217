using Notify.Shared.Messages;

namespace Notify.Sender.Channels;

/// <summary>How one call to deliver ended: delivered, or not (yet) after the attempts this call made.</summary>
/// <param name="Delivered">True when the endpoint accepted it.</param>
/// <param name="Attempts">Attempts this call made.</param>
/// <param name="LastStatus">
/// What the last attempt saw, for logs and delivery status ("HTTP 503", "timed out after 15s"); never an
/// endpoint URL, a token or a message body.
/// </param>
/// <param name="Refusal">Set when the provider refused the recipient for good: recorded on the subscription.</param>
/// <param name="Code">
/// Why it was not delivered, short and stable, for the subscription's owner: <c>http:410</c>, <c>timeout</c>,
/// <c>connection-failed</c>, <c>forbidden-address</c>, a provider's code such as <c>smtp:451</c>; null when delivered.
/// </param>
internal sealed record DeliveryResult(bool Delivered, int Attempts, string LastStatus, DeliveryRefusal? Refusal = null, string? Code = null)
{
    /// <summary>Retrying cannot help: a 4xx other than 408, 425 and 429, a refused recipient or address, no channel.</summary>
    public bool Permanent { get; init; }

    /// <summary>The endpoint answered 410 Gone: it asks not to be called again, so its subscription is disabled.</summary>
    public bool Gone => Code == "http:410";

    /// <summary>The wait the endpoint or provider asked for after the last attempt (Retry-After), if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Each attempt of this call: its number among all attempts of the delivery, its start and its outcome.</summary>
    public IReadOnlyList<DeliveryAttempt> History { get; init; } = [];

    public static DeliveryResult Success(int attempts, string lastStatus) => new(true, attempts, lastStatus);

    public static DeliveryResult GaveUp(int attempts, string lastStatus, string code, DeliveryRefusal? refusal = null) =>
        new(false, attempts, lastStatus, refusal, refusal?.Code ?? code) { Permanent = refusal is not null };

    /// <summary>A failure no attempt was made for (an invalid endpoint, a channel that is off): retrying cannot help.</summary>
    public static DeliveryResult NotAttempted(string lastStatus, string code, DeliveryRefusal? refusal = null) =>
        GaveUp(0, lastStatus, code, refusal) with { Permanent = true };
}

/// <summary>
/// A provider's permanent refusal of a recipient: retrying cannot help, and the subscription's owner
/// should see why (Twilio 21211 "invalid To number", SMTP 550 "mailbox unavailable").
/// </summary>
/// <param name="Code">The provider's code with its source, such as <c>twilio:21211</c> or <c>smtp:550</c>.</param>
/// <param name="Detail">The provider's message, without the message body.</param>
/// <param name="RecipientOptedOut">The recipient told the provider to stop (Twilio 21610): no SMS may go to that number any more.</param>
internal sealed record DeliveryRefusal(string Code, string Detail, bool RecipientOptedOut = false);
