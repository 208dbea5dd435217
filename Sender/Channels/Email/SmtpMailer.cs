using Microsoft.Extensions.Options;
using MimeKit;
using Notify.Sender.Channels.Providers;
using Notify.Shared.Email;

namespace Notify.Sender.Channels.Email;

/// <summary>
/// Hands one email to the SMTP server over a pooled connection (or writes it into the pickup
/// directory), and tells the retry policy how it ended (<see cref="SmtpAnswers"/>). A pooled connection
/// the server has closed meanwhile (idle timeout, restart) is replaced and the email sent again at once:
/// that is the pool's housekeeping, not a failed attempt of the delivery.
/// </summary>
internal sealed partial class SmtpMailer(IOptions<EmailOptions> options, PickupFolder pickup, ILogger<SmtpMailer> logger) : IAsyncDisposable
{
    private readonly SmtpConnectionPool _pool = CreatePool(options.Value, logger);

    public async Task<ProviderAttempt> SendAsync(MimeMessage mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            return await WriteAsync(mail, settings.PickupDirectory, cancellationToken);
        }

        await _pool.WaitAsync(cancellationToken);
        var client = _pool.TakeIdle();
        var reusable = false;
        try
        {
            if (client is not null)
            {
                try
                {
                    await client.SendAsync(mail, cancellationToken);
                    reusable = true;
                    return ProviderAttempt.Accepted("SMTP 250");
                }
                catch (Exception ex) when (SmtpAnswers.IsDroppedConnection(ex) && !cancellationToken.IsCancellationRequested)
                {
                    Log.Reconnecting(logger, ex.GetType().Name);
                    client.Dispose();
                    client = null;
                }
            }

            client = await _pool.ConnectAsync(cancellationToken);
            await client.SendAsync(mail, cancellationToken);
            reusable = true;
            return ProviderAttempt.Accepted("SMTP 250");
        }
        catch (Exception ex) when (SmtpAnswers.IsSmtpFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            // After a refused command MailKit has reset the transaction: the connection serves the next email.
            reusable = ex is MailKit.Net.Smtp.SmtpCommandException or MailKit.ServiceNotAuthenticatedException;
            var attempt = SmtpAnswers.Classify(ex, out var wrongSettings);
            if (wrongSettings is not null)
            {
                Log.SettingsRefused(logger, attempt.Status, FirstLine(ex.Message), wrongSettings);
            }

            return attempt;
        }
        finally
        {
            _pool.Release(client, reusable);
        }
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    private static SmtpConnectionPool CreatePool(EmailOptions settings, ILogger logger)
    {
        if (!string.IsNullOrEmpty(settings.TestOnlyTrustedCertificateSha256))
        {
            // Said once, loudly: the setting is for test servers, and a production log should show it is on.
            Log.TestOnlyCertificateTrusted(logger);
        }

        return new SmtpConnectionPool(settings);
    }

    private async Task<ProviderAttempt> WriteAsync(MimeMessage mail, string folder, CancellationToken cancellationToken)
    {
        try
        {
            await pickup.WriteAsync(mail, folder, cancellationToken);
            return ProviderAttempt.Accepted("written to the pickup directory");
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A pickup directory that cannot be written (disk full, permissions) may recover.
            return ProviderAttempt.Transient($"pickup directory: {ex.GetType().Name}");
        }
    }

    // The server's reply text: it may name a mailbox or the user name, never the password or the message.
    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static partial class Log
    {
        [LoggerMessage(450, LogLevel.Debug, "A pooled SMTP connection was closed by the server ({Reason}); sending on a new one", EventName = "SmtpReconnecting")]
        public static partial void Reconnecting(ILogger logger, string reason);

        [LoggerMessage(452, LogLevel.Warning,
            "Notify:Email:TestOnlyTrustedCertificateSha256 is set: one SMTP server certificate is accepted without validation; unset it outside tests",
            EventName = "SmtpTestOnlyCertificateTrusted")]
        public static partial void TestOnlyCertificateTrusted(ILogger logger);

        [LoggerMessage(451, LogLevel.Error,
            "The SMTP server refused this server's settings ({Status}: {Reply}): no email can be sent until {Settings} are right; retrying",
            EventName = "SmtpSettingsRefused")]
        public static partial void SettingsRefused(ILogger logger, string status, string reply, string settings);
    }
}
