using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Notify.TestServers;

/// <summary>
/// maildev: an SMTP server that keeps every mail it is given (and delivers none), with a REST API to
/// read them back. SMTP on <see cref="SmtpPort"/>, the API on <see cref="WebPort"/>, both on loopback.
/// </summary>
/// <remarks>
/// Mails are kept in a directory of this server's own, so they survive a <see cref="LocalServer.Kill"/>
/// and restart as on a real mail server's disk; the directory is deleted on dispose.
/// </remarks>
public sealed class MailDevServer : LocalServer
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // One for every server (HttpClient is made to be shared); requests carry absolute URLs.
    private static readonly HttpClient Http = new();
    private readonly string _mailDirectory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"notify-maildev-{Guid.NewGuid():N}");

    /// <summary>The SMTP port: <see cref="LocalServer.Port"/>; plain unless <see cref="ImplicitTls"/> is set.</summary>
    public int SmtpPort => Port;

    /// <summary>When set, the user name every SMTP client must log in with (with <see cref="IncomingPassword"/>).</summary>
    /// <remarks>maildev takes AUTH only over TLS: set <see cref="ImplicitTls"/> too.</remarks>
    public string? IncomingUser { get; init; }

    /// <summary>The password that goes with <see cref="IncomingUser"/>.</summary>
    public string? IncomingPassword { get; init; }

    /// <summary>When set, SMTP speaks TLS from the first byte (SMTPS) with this certificate's PEM files.</summary>
    public (string CertificateFile, string KeyFile)? ImplicitTls { get; init; }

    /// <summary>The port of maildev's web UI and REST API.</summary>
    public int WebPort { get; private set; }

    /// <summary>The base address of the REST API.</summary>
    public Uri WebUrl => new($"http://127.0.0.1:{WebPort}/");

    /// <inheritdoc/>
    protected override IEnumerable<int> ReadinessPorts => [SmtpPort, WebPort];

    /// <summary>Every mail received so far, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> GetEmailsAsync(CancellationToken ct = default)
    {
        using var response = await Http.GetAsync(new Uri(WebUrl, "email"), ct);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        return json.RootElement.EnumerateArray().Select(ReceivedEmail.FromMailDev).ToList();
    }

    /// <summary>
    /// Waits for a mail that <paramref name="match"/> accepts. Mail arrives after the SMTP client is
    /// answered (maildev parses it afterwards), so tests must wait rather than read once.
    /// </summary>
    /// <exception cref="TimeoutException">No such mail within <paramref name="timeout"/>; names <paramref name="what"/>.</exception>
    public async Task<ReceivedEmail> WaitForEmailAsync(Func<ReceivedEmail, bool> match, TimeSpan timeout, string what) =>
        (await WaitForEmailsAsync(match, 1, timeout, what))[0];

    /// <summary>
    /// Waits until at least <paramref name="count"/> mails match, and returns every matching one (more
    /// than <paramref name="count"/> when more came, so a test can see duplicates).
    /// </summary>
    /// <exception cref="TimeoutException">Fewer within <paramref name="timeout"/>; names <paramref name="what"/>.</exception>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForEmailsAsync(Func<ReceivedEmail, bool> match, int count, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var all = await GetEmailsAsync();
            var matching = all.Where(match).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var seen = string.Join("", all.Take(20).Select(mail => $"\n  to {string.Join(", ", mail.To)}: {mail.Subject}"));
                throw new TimeoutException(
                    $"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}: {matching.Count} of {count} matching, {all.Count} mail(s) received.{seen}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Forgets every mail received so far.</summary>
    public async Task DeleteAllAsync()
    {
        using var response = await Http.DeleteAsync(new Uri(WebUrl, "email/all"));
        response.EnsureSuccessStatusCode();
    }

    /// <inheritdoc/>
    protected override ProcessStartInfo CreateStartInfo(int port)
    {
        // Chosen once: a restart after Kill comes back on the same ports, as LocalServer's does.
        while (WebPort == 0 || WebPort == port)
        {
            WebPort = FreePort.Next();
        }

        Directory.CreateDirectory(_mailDirectory);
        string[] arguments = [
            "--smtp", port.ToString(CultureInfo.InvariantCulture),
            "--web", WebPort.ToString(CultureInfo.InvariantCulture),
            // --ip binds SMTP only; the web server follows it unless told, so both are said.
            "--ip", "127.0.0.1", "--web-ip", "127.0.0.1",
            "--mail-directory", _mailDirectory,
            .. IncomingOptions(),
            // Its errors (a mail it failed to parse) print only when verbose; the output is kept in
            // memory and shown only when the server fails, so nothing is noisy.
            "--verbose"];
        var info = ImplicitTls is null ? Node("maildev/bin/maildev", arguments) : NodeScript("maildev-tls.js", arguments);

        // maildev reads every option from MAILDEV_* variables too: one left in the environment (an
        // outgoing host, auto-relay) would have it relay test mail somewhere real.
        foreach (var name in info.Environment.Keys.Where(key => key.StartsWith("MAILDEV_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        return info;
    }

    private IEnumerable<string> IncomingOptions()
    {
        if (IncomingUser is not null)
        {
            yield return "--incoming-user";
            yield return IncomingUser;
            yield return "--incoming-pass";
            yield return IncomingPassword ?? "";
        }

        if (ImplicitTls is var (certificate, key))
        {
            yield return "--incoming-secure";
            yield return "--incoming-cert";
            yield return certificate;
            yield return "--incoming-key";
            yield return key;
        }
    }

    /// <inheritdoc/>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_mailDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never started.
        }
    }
}
