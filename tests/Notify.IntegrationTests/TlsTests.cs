using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>
/// A Frontend serving HTTPS from Kestrel's own configuration (<c>Kestrel:Endpoints</c> with a PFX file)
/// and plain HTTP beside it, with a certificate made by the test. Clients trust exactly that certificate.
/// </summary>
public sealed class TlsTests(TlsTests.TlsFrontend frontend) : IClassFixture<TlsTests.TlsFrontend>
{
    /// <summary>The name the certificate is for; connections to it go to 127.0.0.1 (HSTS is never sent to localhost or 127.0.0.1).</summary>
    private const string Host = "notify.test";

    [Fact]
    public async Task Https_WithTheConfiguredCertificate_ServesTheApi_WithHsts()
    {
        using var http = new HttpClient(TrustingHandler(frontend.Certificate)) { BaseAddress = new Uri($"https://{Host}:{frontend.HttpsPort}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", NotifyService.AdminKey);

        using var response = await http.GetAsync("v1/topics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hsts = Assert.Single(response.Headers.GetValues("Strict-Transport-Security"));
        Assert.StartsWith("max-age=", hsts, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Https_IsRefusedByAClientThatDoesNotTrustTheCertificate()
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectCallback = ConnectToLoopback });
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"https://{Host}:{frontend.HttpsPort}/healthz"));
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task Http_IsRedirectedToHttps()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync($"http://127.0.0.1:{frontend.HttpPort}/v1/topics");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(new Uri($"https://127.0.0.1:{frontend.HttpsPort}/v1/topics"), response.Headers.Location);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is sent over HTTPS only.");
    }

    /// <summary>Validates the server's certificate as usual (names, dates), with the test's certificate as the only trusted root.</summary>
    private static SocketsHttpHandler TrustingHandler(X509Certificate2 certificate) => new()
    {
        ConnectCallback = ConnectToLoopback,
        SslOptions =
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { certificate },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        },
    };

    private static async ValueTask<Stream> ConnectToLoopback(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A self-signed server certificate for <see cref="Host"/> and 127.0.0.1, written as a password-protected PFX only its owner may read.</summary>
    private static X509Certificate2 MakeCertificate(string pfxPath, string password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Host}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Host);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(pfxPath, options))
        {
            file.Write(certificate.Export(X509ContentType.Pfx, password));
        }

        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    public sealed class TlsFrontend : IAsyncLifetime
    {
        private const string ListeningLine = "Now listening on: ";
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "notify-it", Guid.NewGuid().ToString("N"));
        private NotifyProcess _process = null!;

        public X509Certificate2 Certificate { get; private set; } = null!;

        public int HttpsPort { get; private set; }

        public int HttpPort { get; private set; }

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(_directory);
            var pfx = Path.Combine(_directory, "notify.pfx");
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            Certificate = MakeCertificate(pfx, password);

            var settings = NotifyService.TestSettings(Path.Combine(_directory, "data"));
            settings["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0";
            settings["Kestrel:Endpoints:Https:Certificate:Path"] = pfx;
            settings["Kestrel:Endpoints:Https:Certificate:Password"] = password;
            settings["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0";
            _process = await NotifyProcess.StartFrontendAsync(settings, healthHandler: TrustingHandler(Certificate));
            HttpsPort = await PortAsync("https://");
            HttpPort = await PortAsync("http://");
        }

        private async Task<int> PortAsync(string scheme)
        {
            var line = await _process.WaitForOutputAsync(ListeningLine + scheme, TimeSpan.FromSeconds(30));
            return new Uri(line[(line.IndexOf(ListeningLine, StringComparison.Ordinal) + ListeningLine.Length)..].Trim()).Port;
        }

        public async Task DisposeAsync()
        {
            await _process.DisposeAsync();
            Certificate.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
