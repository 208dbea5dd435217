using Notify.Frontend.Sms;

namespace Notify.Tests.Frontend;

public sealed class InboundSmsRulesTests
{
    [Fact]
    public void Signature_MatchesTwilioDocumentedExample()
    {
        // Twilio's webhook-security documentation: this URL, these fields and token 12345.
        var fields = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE",
            ["Caller"] = "+12349013030",
            ["Digits"] = "1234",
            ["From"] = "+12349013030",
            ["To"] = "+18005551212",
        };

        var signature = TwilioSignature.Compute("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", fields);

        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", signature);
        Assert.True(TwilioSignature.IsValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", fields, signature));
        Assert.False(TwilioSignature.IsValid("54321", "https://mycompany.com/myapp.php?foo=1&bar=2", fields, signature));
        Assert.False(TwilioSignature.IsValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", fields, signature));
        Assert.False(TwilioSignature.IsValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", fields, null));
    }

    [Theory]
    [InlineData("STOP", true)]
    [InlineData(" stop ", true)]
    [InlineData("Stop.", true)]
    [InlineData("STOPALL", true)]
    [InlineData("unsubscribe", true)]
    [InlineData("CANCEL", true)]
    [InlineData("END", true)]
    [InlineData("QUIT", true)]
    [InlineData("OPT-OUT", true)]
    [InlineData("ARRET", true)]
    [InlineData("START", false)]
    [InlineData("unstop", false)]
    [InlineData("please stop sending", null)]
    [InlineData("STOPP", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Keywords_AreTheWholeMessage_IgnoringCaseAndSpaces(string? body, bool? optOut) =>
        Assert.Equal(optOut, OptOutKeywords.Classify(body));
}
