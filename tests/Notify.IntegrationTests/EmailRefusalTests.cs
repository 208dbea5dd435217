using System.Text.Json;
using Notify.IntegrationTests.Support;
using Notify.TestServers;

namespace Notify.IntegrationTests;

/// <summary>
/// SMTP refusals end to end: a real Notify process sends to a scripted SMTP server on a real socket that
/// refuses a recipient, or this server's sender address, and the subscription shows whose fault it was.
/// </summary>
public sealed class EmailRefusalTests : IAsyncLifetime
{
    private const int MaxAttempts = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ScriptedSmtpServer _smtp = ScriptedSmtpServer.Start();
    private NotifyService _notify = null!;

    public async Task InitializeAsync() => _notify = await NotifyService.StartAsync(new Dictionary<string, string?>
    {
        ["Notify:Email:PickupDirectory"] = null,
        ["Notify:Email:SmtpHost"] = "127.0.0.1",
        ["Notify:Email:SmtpPort"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notify:Email:Security"] = "None",
        ["Notify:Email:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync()
    {
        await _notify.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task ARecipientRefusedWith550_IsRecordedOnTheSubscription_AfterOneAttempt()
    {
        var tries = 0;
        _smtp.RcptTo = to =>
        {
            if (to != "gone@example.com")
            {
                return null;
            }

            Interlocked.Increment(ref tries);
            return "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown";
        };
        await _notify.Client.CreateTopicAsync("refusals");
        var id = (await _notify.Client.SubscribeAsync("refusals", "email", "gone@example.com")).GetProperty("id").GetString()!;

        var error = await LastDeliveryErrorAsync(id);

        Assert.Equal("smtp:550", error.GetProperty("code").GetString());
        Assert.Contains("User unknown", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref tries));
    }

    [Fact]
    public async Task ARefusedSender_IsRetried_AndLoggedAsThisServersSetting_NamingFrom()
    {
        var tries = 0;
        _smtp.MailFrom = _ =>
        {
            Interlocked.Increment(ref tries);
            return "553 5.7.1 <notify@example.com>: Sender address rejected: not owned by user";
        };
        await _notify.Client.CreateTopicAsync("sender");
        var id = (await _notify.Client.SubscribeAsync("sender", "email", "reader@example.com")).GetProperty("id").GetString()!;

        // A pending subscription says why its confirmation did not arrive; the refusal is not the address's.
        var error = await LastDeliveryErrorAsync(id);

        Assert.Equal("smtp:553", error.GetProperty("code").GetString());
        Assert.Contains("was not delivered after 3 attempt(s)", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(MaxAttempts, Volatile.Read(ref tries));
        Assert.Contains("fail: Notify.Sender.Channels.Email.SmtpMailer[451]", _notify.Logs, StringComparison.Ordinal);
        Assert.Contains("Notify:Email:From", _notify.Logs, StringComparison.Ordinal);
    }

    private async Task<JsonElement> LastDeliveryErrorAsync(string id) =>
        (await _notify.PollAsync(
            $"v1/subscriptions/{id}",
            s => s.TryGetProperty("lastDeliveryError", out var error) && error.ValueKind == JsonValueKind.Object,
            "the subscription's lastDeliveryError",
            Patience)).GetProperty("lastDeliveryError");
}
