using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Notify.Sender.Channels.Providers;
using Notify.Shared.Email;

namespace Notify.Sender.Channels.Email;

/// <summary>
/// Hands one email to the SMTP server (or writes it into the pickup directory) and classifies the
/// answer: 4xx replies and lost connections are transient, 5xx replies are a permanent refusal.
/// One <see cref="SmtpClient"/> per call: it is not thread-safe, and the channel's bulkhead bounds
/// how many connections are open at once.
/// </summary>
internal sealed class SmtpMailer(IOptions<EmailOptions> options, PickupFolder pickup)
{
    public async Task<ProviderAttempt> SendAsync(MailMessage mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
            {
                await pickup.WriteAsync(mail, settings.PickupDirectory, cancellationToken);
                return ProviderAttempt.Accepted("written to the pickup directory");
            }

            using var client = CreateClient(settings);
            await client.SendMailAsync(mail, cancellationToken);
            return ProviderAttempt.Accepted("SMTP 250");
        }
        catch (SmtpException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Classify(ex);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A pickup directory that cannot be written (disk full, permissions) may recover.
            return ProviderAttempt.Transient($"pickup directory: {ex.GetType().Name}");
        }
    }

    /// <summary>The SMTP reply's class decides: 4xx try again later, 5xx never (RFC 5321 section 4.2.1).</summary>
    internal static ProviderAttempt Classify(SmtpException ex)
    {
        var code = (int)ex.StatusCode;
        var status = $"smtp:{code}";
        if (code is >= 500 and < 600)
        {
            return ProviderAttempt.Permanent(status, new DeliveryRefusal(status, FirstLine(ex.Message)));
        }

        // GeneralFailure (-1) is a connection that failed or dropped; 4xx is the server's "not now".
        var cause = ex.InnerException is SocketException socket ? $"{status} ({socket.SocketErrorCode})" : status;
        return ProviderAttempt.Transient(cause);
    }

    private static SmtpClient CreateClient(EmailOptions options)
    {
        var client = new SmtpClient { Timeout = (int)options.AttemptTimeout.TotalMilliseconds };
        client.Host = options.SmtpHost!;
        client.Port = options.SmtpPort;
        client.EnableSsl = options.EnableSsl;
        client.DeliveryMethod = SmtpDeliveryMethod.Network;
        if (!string.IsNullOrEmpty(options.Username))
        {
            client.Credentials = new NetworkCredential(options.Username, options.Password);
        }

        return client;
    }

    // The server's reply text: it may name the recipient's mailbox, never the message.
    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
