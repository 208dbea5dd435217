using System.Globalization;
using System.Net.Mail;

namespace Notify.Sender.Channels.Email;

/// <summary>
/// Writes emails as <c>.eml</c> files into <c>Notify:Email:PickupDirectory</c>, named so that <c>ls</c>
/// lists them in the order they were sent: the UTC time with milliseconds, this process's sequence number
/// (for emails within one millisecond) and the email's Message-ID, as in
/// <c>20261202T101502.031Z-000007-confirmation-01JX….eml</c>. Each file is written into a staging
/// folder first and moved in whole, so nobody opens half an email.
/// </summary>
internal sealed class PickupFolder(TimeProvider timeProvider)
{
    private const string Staging = ".writing";

    private readonly Lock _naming = new();
    private long _sequence;

    public async Task WriteAsync(MailMessage mail, string folder, CancellationToken cancellationToken)
    {
        // System.Net.Mail names pickup files with a GUID; a folder of its own per email shows which file is ours.
        var staging = Directory.CreateDirectory(Path.Combine(folder, Staging, Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            using (var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = staging })
            {
                await client.SendMailAsync(mail, cancellationToken);
            }

            var written = Directory.GetFiles(staging).Single();

            // Named and moved in one step, so the folder's files appear in the order of their names.
            lock (_naming)
            {
                File.Move(written, Path.Combine(folder, NextName(mail)));
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private string NextName(MailMessage mail)
    {
        var time = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'fff'Z'", CultureInfo.InvariantCulture);
        return $"{time}-{++_sequence:D6}-{Label(mail)}.eml";
    }

    /// <summary>The local part of the Message-ID (Notify's ids), kept to characters every file system takes.</summary>
    private static string Label(MailMessage mail)
    {
        var id = mail.Headers["Message-ID"]?.Trim('<', '>', ' ') ?? "";
        var local = id.Split('@')[0];
        var safe = new string([.. local.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_')]);
        return safe.Length > 0 ? safe : "email";
    }
}
