namespace Notify.Sender.Channels.Webhooks;

/// <summary>
/// How an endpoint appears in logs: scheme and host only. Paths and query strings often carry secrets
/// (Slack-style webhook URLs, signed tokens), so they are never logged.
/// </summary>
internal static class EndpointLabel
{
    public static string For(Uri endpoint) => $"{endpoint.Scheme}://{endpoint.Authority}";
}
