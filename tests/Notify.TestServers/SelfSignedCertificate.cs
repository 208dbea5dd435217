using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Notify.TestServers;

/// <summary>
/// A self-signed certificate for <c>localhost</c> and <c>127.0.0.1</c>, written as PEM files for a test
/// server (maildev's <c>--incoming-cert</c>/<c>--incoming-key</c>); no client trusts it unless told its
/// <see cref="Sha256"/> fingerprint. The files are deleted on dispose.
/// </summary>
public sealed class SelfSignedCertificate : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"notify-cert-{Guid.NewGuid():N}");

    public SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        Directory.CreateDirectory(_folder);
        CertificateFile = Path.Combine(_folder, "cert.pem");
        KeyFile = Path.Combine(_folder, "key.pem");
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
        Sha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    public string CertificateFile { get; }

    public string KeyFile { get; }

    /// <summary>The certificate's SHA-256 fingerprint, in hex.</summary>
    public string Sha256 { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
