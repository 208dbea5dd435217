using Microsoft.Extensions.Options;
using Notify.Sender.Channels.Providers;
using Notify.Sender.Channels.Sms;
using Notify.Shared.Sms;
using Notify.TestServers;

namespace Notify.Tests.Channels;

/// <summary>The Twilio client against a server speaking Twilio's Messages API.</summary>
public sealed class TwilioClientTests(TwilioServer twilio) : IClassFixture<TwilioServer>
{
    [Fact]
    public async Task WithAMessagingService_SendsItsSidInsteadOfAFromNumber()
    {
        twilio.Reset();
        var client = Client(new TwilioOptions { MessagingServiceSid = "MG" + new string('0', 32), From = "+15550000000" });

        var attempt = await client.SendAsync("+15551230000", "hello", CancellationToken.None);

        Assert.Equal(ProviderOutcome.Accepted, attempt.Outcome);
        var sent = Assert.Single(twilio.Sent);
        Assert.Equal("MG" + new string('0', 32), sent.Form["MessagingServiceSid"]);
        Assert.False(sent.Form.ContainsKey("From"));
    }

    [Fact]
    public async Task WrongCredentials_AreGivenUpWithoutBlamingTheRecipient()
    {
        twilio.Reset();
        var client = Client(new TwilioOptions { From = "+15550000000" }, authToken: "wrong");

        var attempt = await client.SendAsync("+15551230000", "hello", CancellationToken.None);

        Assert.Equal(ProviderOutcome.Permanent, attempt.Outcome);
        Assert.Null(attempt.Refusal);
        Assert.Equal("twilio:20003 HTTP 401", attempt.Status);
    }

    private TwilioClient Client(TwilioOptions twilioOptions, string? authToken = null)
    {
        twilioOptions.AccountSid = twilio.AccountSid;
        twilioOptions.AuthToken = authToken ?? twilio.AuthToken;
        twilioOptions.BaseUrl = twilio.BaseUrl;
        return new TwilioClient(new HttpClient(), Options.Create(new SmsOptions { Twilio = twilioOptions }));
    }
}
