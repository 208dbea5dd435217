using System.Net.Http.Json;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>What a server with email or SMS switched off, or set to a pickup directory, does.</summary>
public sealed class ChannelConfigurationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Subscribe_ToAChannelThatIsNotConfigured_Answers400NamingTheSettings()
    {
        await using var notify = await NotifyService.StartAsync(new Dictionary<string, string?>
        {
            ["Notify:Email:PickupDirectory"] = null,
            ["Notify:Email:SmtpHost"] = null,
            ["Notify:Sms:Twilio:AuthToken"] = null,
            ["Notify:Sms:Twilio:From"] = null,
        });
        await notify.Client.CreateTopicAsync("off");

        var email = await ProblemAssert.IsProblemAsync(
            await notify.Client.Http.PostAsJsonAsync("v1/topics/off/subscriptions", new { protocol = "email", endpoint = "bob@example.com" }),
            400, "Notify:Email:SmtpHost");
        Assert.Contains("Notify:Email:PickupDirectory", email, StringComparison.Ordinal);

        var sms = await ProblemAssert.IsProblemAsync(
            await notify.Client.Http.PostAsJsonAsync("v1/topics/off/subscriptions", new { protocol = "sms", endpoint = "+15551234567" }),
            400, "Notify:Sms:Twilio:AuthToken");
        Assert.Contains("Notify:Sms:Twilio:From", sms, StringComparison.Ordinal);
        Assert.DoesNotContain("Notify:Sms:Twilio:AccountSid", sms, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PickupDirectory_ReceivesEachEmailAsAnEmlFile_NamedInSendOrder_WithACopyableLink()
    {
        await using var notify = await NotifyService.StartAsync();
        var folder = Path.Combine(notify.DataDirectory, "mail");
        await notify.Client.CreateTopicAsync("laptop");
        var id = (await notify.Client.SubscribeAsync("laptop", "email", "dev@example.com")).GetProperty("id").GetString()!;

        var eml = await PickupFiles.WaitForFirstAsync(folder, Patience);
        Assert.Matches(@"^\d{8}T\d{6}\.\d{3}Z-\d{6}-confirmation-" + id + @"\.eml$", Path.GetFileName(eml));
        var lines = await File.ReadAllLinesAsync(eml);
        Assert.Contains("Content-Transfer-Encoding: 7bit", lines);
        Assert.Contains("To: dev@example.com", lines);
        Assert.Single(lines, l => l.StartsWith(new Uri(notify.Process.BaseAddress, $"v1/subscriptions/{id}/confirm?token=").AbsoluteUri, StringComparison.Ordinal));
    }
}
