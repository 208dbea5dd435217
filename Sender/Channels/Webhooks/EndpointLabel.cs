using Notify.Shared.Logging;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>
/// How an endpoint appears in logs: scheme and host only (<see cref="Redact.Endpoint"/>). Paths and
/// query strings often carry secrets (Slack-style webhook URLs, signed tokens), so they are never logged.
/// </summary>
internal static class EndpointLabel
{
    public static string For(Uri endpoint) => Redact.Endpoint(endpoint);
}
