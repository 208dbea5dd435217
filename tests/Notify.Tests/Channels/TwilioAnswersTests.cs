using Notify.Sender.Channels;
using Notify.Sender.Channels.Providers;
using Notify.Sender.Channels.Sms;

namespace Notify.Tests.Channels;

public sealed class TwilioAnswersTests
{
    [Theory]
    [InlineData(201)]
    [InlineData(200)]
    public void ASuccess_IsAccepted_EvenIfItsBodyCouldNotBeRead(int status) =>
        Assert.Equal(ProviderAttempt.Accepted($"HTTP {status}"), TwilioAnswers.Classify(status, 0, null, null));

    [Theory]
    [InlineData(429, 20429)]
    [InlineData(500, 20500)]
    [InlineData(503, 20503)]
    [InlineData(502, 0)]
    public void ThrottlingAndServerErrors_AreTransient_WithTheirRetryAfter(int status, int code)
    {
        var attempt = TwilioAnswers.Classify(status, code, "Service Unavailable", TimeSpan.FromSeconds(5));

        Assert.Equal(ProviderOutcome.Transient, attempt.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(5), attempt.RetryAfter);
        Assert.Null(attempt.Refusal);
    }

    [Fact]
    public void A400WithACode_RefusesTheRecipient_AndOnly21610OptsTheNumberOut()
    {
        var invalid = TwilioAnswers.Classify(400, 21211, "The 'To' number +15550000001 is not a valid phone number.", null);
        var stopped = TwilioAnswers.Classify(400, 21610, null, null);

        Assert.Equal(new DeliveryRefusal("twilio:21211", "The 'To' number +15550000001 is not a valid phone number."), invalid.Refusal);
        Assert.Equal(new DeliveryRefusal("twilio:21610", "Twilio refused the message (error 21610).", RecipientOptedOut: true), stopped.Refusal);
        Assert.Equal(ProviderOutcome.Permanent, stopped.Outcome);
    }

    [Theory]
    [InlineData(401, 20003, true)]
    [InlineData(403, 20403, true)]
    [InlineData(404, 20404, true)]
    [InlineData(301, 0, true)]
    [InlineData(400, 0, false)]
    [InlineData(413, 0, false)]
    public void OtherFailures_AreGivenUp_WithoutBlamingTheRecipient(int status, int code, bool settings)
    {
        var attempt = TwilioAnswers.Classify(status, code, "Authenticate", null);

        Assert.Equal(ProviderOutcome.Permanent, attempt.Outcome);
        Assert.Null(attempt.Refusal);
        Assert.Equal(settings, TwilioAnswers.IsSettingsProblem(status));
    }
}
