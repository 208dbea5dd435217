namespace Notify.Sender.Channels.Webhooks;

/// <summary>
/// Thrown at connect time when a webhook's host resolves only to addresses the private-network guard
/// forbids, or its URL is http while https is required: a permanent failure, never retried.
/// </summary>
internal sealed class ForbiddenAddressException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
