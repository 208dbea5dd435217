using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Notify.Shared.Email;

namespace Notify.Sender.Channels.Email;

/// <summary>
/// The SMTP connections of one Sender, opened when first needed and kept for the next email (a TLS
/// handshake and a login per email would cost more than the email), at most
/// <c>Notify:Email:MaxConnections</c> of them. An <see cref="SmtpClient"/> carries one transaction at a
/// time, so each is lent to one delivery and given back after it; one whose state is unknown (cancelled
/// mid-command, broken) is closed instead.
/// </summary>
internal sealed class SmtpConnectionPool(EmailOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _permits = new(options.MaxConnections, options.MaxConnections);

    // Last in, first out: the most recently used connection is the one least likely to have timed out.
    private readonly ConcurrentStack<SmtpClient> _idle = new();

    /// <summary>Waits for a free connection slot; the caller then takes an idle connection or opens one, and releases the slot.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _permits.WaitAsync(cancellationToken);

    /// <summary>An idle connection that was open when given back, or null.</summary>
    public SmtpClient? TakeIdle() => _idle.TryPop(out var client) ? client : null;

    /// <summary>Opens a connection as <c>Notify:Email</c> says, logged in when a user name is set.</summary>
    public async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = (int)options.AttemptTimeout.TotalMilliseconds };
        if (options.TestOnlyTrustedCertificateSha256 is { Length: > 0 } pinned)
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => errors == SslPolicyErrors.None || IsPinned(certificate, pinned);
        }

        try
        {
            await client.ConnectAsync(options.SmtpHost!, options.SmtpPort, SocketOptions(options), cancellationToken);
            if (!string.IsNullOrEmpty(options.Username))
            {
                await client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Gives the slot back, and <paramref name="client"/> to the idle ones when <paramref name="reusable"/> and still connected.</summary>
    public void Release(SmtpClient? client, bool reusable)
    {
        if (client is not null)
        {
            if (reusable && client.IsConnected)
            {
                _idle.Push(client);
            }
            else
            {
                client.Dispose();
            }
        }

        _permits.Release();
    }

    internal static SecureSocketOptions SocketOptions(EmailOptions options) => options.EffectiveSecurity switch
    {
        EmailSecurity.Auto when options.SmtpPort == 465 => SecureSocketOptions.SslOnConnect,
        EmailSecurity.Auto or EmailSecurity.StartTls => SecureSocketOptions.StartTls,
        EmailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    private static bool IsPinned(X509Certificate? certificate, string sha256) =>
        certificate is not null
        && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), sha256.Replace(":", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryPop(out var client))
        {
            try
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.DisconnectAsync(quit: true, quit.Token);
            }
            catch (Exception)
            {
                // Closing politely is a courtesy; the socket is closed below either way.
            }
            finally
            {
                client.Dispose();
            }
        }

        _permits.Dispose();
    }
}
