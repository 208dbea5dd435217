namespace Notify.Sender.Channels;

/// <summary>How one delivery ended.</summary>
/// <param name="Delivered">True when the endpoint accepted it; false when it was given up.</param>
/// <param name="Attempts">Attempts made, the first included.</param>
/// <param name="LastStatus">
/// What the last attempt saw, for logs and delivery status ("HTTP 503", "timed out after 15s"); never an
/// endpoint URL, a token or a message body.
/// </param>
/// <param name="Refusal">Set when the provider refused for good (not a transient failure): recorded on the subscription.</param>
/// <param name="Code">
/// Why it was given up, short and stable, for the subscription's owner: <c>http:410</c>, <c>timeout</c>,
/// <c>connection-failed</c>, <c>forbidden-address</c>, a provider's code such as <c>smtp:451</c>; null when delivered.
/// </param>
internal sealed record DeliveryResult(bool Delivered, int Attempts, string LastStatus, DeliveryRefusal? Refusal = null, string? Code = null)
{
    public static DeliveryResult Success(int attempts, string lastStatus) => new(true, attempts, lastStatus);

    public static DeliveryResult GaveUp(int attempts, string lastStatus, string code, DeliveryRefusal? refusal = null) =>
        new(false, attempts, lastStatus, refusal, refusal?.Code ?? code);
}

/// <summary>
/// A provider's permanent refusal of a recipient: retrying cannot help, and the subscription's owner
/// should see why (Twilio 21211 "invalid To number", SMTP 550 "mailbox unavailable").
/// </summary>
/// <param name="Code">The provider's code with its source, such as <c>twilio:21211</c> or <c>smtp:550</c>.</param>
/// <param name="Detail">The provider's message, without the message body.</param>
/// <param name="RecipientOptedOut">The recipient told the provider to stop (Twilio 21610): no SMS may go to that number any more.</param>
internal sealed record DeliveryRefusal(string Code, string Detail, bool RecipientOptedOut = false);
