namespace Notify.Sender.Channels;

/// <summary>How one delivery ended.</summary>
/// <param name="Delivered">True when the endpoint accepted it; false when it was given up.</param>
/// <param name="Attempts">Attempts made, the first included.</param>
/// <param name="LastStatus">
/// What the last attempt saw, for logs and delivery status ("HTTP 503", "timed out after 15s"); never an
/// endpoint URL, a token or a message body.
/// </param>
internal sealed record DeliveryResult(bool Delivered, int Attempts, string LastStatus)
{
    public static DeliveryResult Success(int attempts, string lastStatus) => new(true, attempts, lastStatus);

    public static DeliveryResult GaveUp(int attempts, string lastStatus) => new(false, attempts, lastStatus);
}
