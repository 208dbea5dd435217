using System.Net;
using System.Net.Sockets;
using Notify.Sender.Channels.Webhooks;
using Notify.Tests.Webhooks.Support;

namespace Notify.Tests.Webhooks;

/// <summary>
/// The connect-time check on real sockets: a name is resolved once per connection and the connection goes
/// to an address that passed the check, never to one looked up again. The resolver stands in for DNS, and
/// the policy forbids 127.0.0.2 only (the real one forbids all of loopback, so nothing could connect).
/// </summary>
public sealed class WebhookConnectorTests
{
    private static readonly IPAddress Forbidden = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task Connect_WhenTheNameResolvesToAForbiddenAndAnAllowedAddress_ConnectsToTheAllowedAddressItChecked()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        using var trap = Trap(server.BaseUrl.Port);
        var resolver = new ScriptedResolver([Forbidden, IPAddress.Loopback]);
        using var client = Client(resolver);

        using var response = await client.PostAsync(Url(server), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(server.Requests);
        Assert.False(trap.Pending(), "a connection reached the forbidden address");
        Assert.Equal(1, resolver.Calls);
    }

    [Fact]
    public async Task Connect_WhenTheNameRebindsToAForbiddenAddress_RefusesTheNewConnectionWithoutReachingIt()
    {
        await using var server = await WebhookTestServer.StartAsync(200, 200);
        using var trap = Trap(server.BaseUrl.Port);
        var resolver = new ScriptedResolver([IPAddress.Loopback], [Forbidden]);
        using var client = Client(resolver);

        using (var first = new HttpRequestMessage(HttpMethod.Post, Url(server)) { Content = new StringContent("{}") })
        {
            // Closing the connection makes the next request open (and check) a new one.
            first.Headers.ConnectionClose = true;
            using var answer = await client.SendAsync(first);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(Url(server), new StringContent("{}")));

        var forbidden = Assert.IsType<ForbiddenAddressException>(refused.InnerException);
        Assert.Equal(
            "resolves to 127.0.0.2, a test-forbidden address, which is not globally reachable; set Notify:Webhooks:AllowPrivateNetworks=true to allow it",
            forbidden.Reason);
        Assert.Single(server.Requests);
        Assert.False(trap.Pending(), "a connection reached the forbidden address");
        Assert.Equal(2, resolver.Calls);
    }

    [Fact]
    public async Task Connect_WhenHttpsIsRequired_RefusesAnHttpUrlBeforeResolvingIt()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        var resolver = new ScriptedResolver([IPAddress.Loopback]);
        using var client = Client(resolver, allowPrivateNetworks: true, requireHttps: true);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(Url(server), new StringContent("{}")));

        var forbidden = Assert.IsType<ForbiddenAddressException>(refused.InnerException);
        Assert.Equal("uses http, not https; set Notify:Webhooks:RequireHttps=false to allow it", forbidden.Reason);
        Assert.Empty(server.Requests);
        Assert.Equal(0, resolver.Calls);
    }

    private static Uri Url(WebhookTestServer server) => new($"http://rebinding.example:{server.BaseUrl.Port}/hook");

    private static HttpClient Client(ScriptedResolver resolver, bool allowPrivateNetworks = false, bool requireHttps = false)
    {
        var connector = new WebhookConnector(
            allowPrivateNetworks,
            requireHttps,
            address => address.Equals(Forbidden) ? "a test-forbidden address" : null,
            resolver.ResolveAsync);
        return new HttpClient(WebhookHttpHandler.Create(connector)) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Listens on the forbidden address and the server's port: a connection there would be pending.</summary>
    private static TcpListener Trap(int port)
    {
        var trap = new TcpListener(Forbidden, port);
        trap.Start();
        return trap;
    }

    /// <summary>Answers each lookup with the next list of addresses (the last one repeats), counting lookups.</summary>
    private sealed class ScriptedResolver(params IPAddress[][] answers)
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Assert.Equal("rebinding.example", host);
            var call = Interlocked.Increment(ref _calls);
            return Task.FromResult(answers[Math.Min(call, answers.Length) - 1]);
        }
    }
}
