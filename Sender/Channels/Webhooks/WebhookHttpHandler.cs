using System.Net;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>The primary handler of the webhook HttpClient.</summary>
internal static class WebhookHttpHandler
{
    public static SocketsHttpHandler Create(WebhookConnector connector)
    {
        var handler = new SocketsHttpHandler
        {
            // A 3xx is a failure, as in SNS; following it could also lead past the private-network guard.
            AllowAutoRedirect = false,

            // The guard must see the endpoint's own address, not a proxy's.
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,

            // Pooled connections are re-made (and their host re-resolved and re-checked) now and then.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),

            // Response bodies are never read; do not drain a large one just to reuse its connection.
            MaxResponseDrainSize = 16 * 1024,
            ResponseDrainTimeout = TimeSpan.FromSeconds(1),
        };

        if (connector.Checks)
        {
            // Checked on every new connection, on the address connected to: a name that passed the
            // subscribe-time check and later resolves to 10.0.0.5 (DNS rebinding) is still refused.
            handler.ConnectCallback = connector.ConnectAsync;
        }

        return handler;
    }
}
