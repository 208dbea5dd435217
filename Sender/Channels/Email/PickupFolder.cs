using System.Globalization;
using MimeKit;

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

    // As on the wire: lines end in CRLF (RFC 5322), whatever the platform.
    private static readonly FormatOptions Format = CreateFormat();

    private readonly Lock _naming = new();
    private long _sequence;

    public async Task WriteAsync(MimeMessage mail, string folder, CancellationToken cancellationToken)
    {
        var staging = Directory.CreateDirectory(Path.Combine(folder, Staging)).FullName;
        var written = Path.Combine(staging, $"{Guid.NewGuid():N}.eml");
        try
        {
            await using (var file = new FileStream(written, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await mail.WriteToAsync(Format, file, cancellationToken);
            }

            // Named and moved in one step, so the folder's files appear in the order of their names.
            lock (_naming)
            {
                File.Move(written, Path.Combine(folder, NextName(mail)));
            }
        }
        finally
        {
            File.Delete(written);
        }
    }

    private string NextName(MimeMessage mail)
    {
        var time = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'fff'Z'", CultureInfo.InvariantCulture);
        return $"{time}-{++_sequence:D6}-{Label(mail)}.eml";
    }

    /// <summary>The local part of the Message-ID (Notify's ids), kept to characters every file system takes.</summary>
    private static string Label(MimeMessage mail)
    {
        var local = (mail.MessageId ?? "").Split('@')[0];
        var safe = new string([.. local.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_')]);
        return safe.Length > 0 ? safe : "email";
    }

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
