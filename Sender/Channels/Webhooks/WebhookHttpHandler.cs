using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Notify.Shared.Webhooks;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>The primary handler of the webhook HttpClient.</summary>
internal static class WebhookHttpHandler
{
    public static SocketsHttpHandler Create(bool allowPrivateNetworks)
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

        if (!allowPrivateNetworks)
        {
            // Checked on every new connection, after resolution: a name that passed the subscribe-time
            // check and later resolves to 10.0.0.5 (DNS rebinding) is still refused.
            handler.ConnectCallback = ConnectToAllowedAddressAsync;
        }

        return handler;
    }

    private static async ValueTask<Stream> ConnectToAllowedAddressAsync(
        SocketsHttpConnectionContext context,
        CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await PrivateNetworkGuard.ResolveAsync(endpoint.Host, cancellationToken);

        string? refusal = null;
        Exception? lastError = null;
        foreach (var address in addresses)
        {
            if (PrivateNetworkGuard.Classify(address) is { } category)
            {
                refusal ??= PrivateNetworkGuard.Describe(address, category);
                continue;
            }

            // A mapped address (::ffff:a.b.c.d) is dialled as plain IPv4; an IPv6-only socket could not reach it.
            var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (lastError is not null)
        {
            ExceptionDispatchInfo.Throw(lastError);
        }

        throw refusal is not null
            ? new ForbiddenAddressException(refusal)
            : new SocketException((int)SocketError.HostNotFound);
    }
}
