using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Notify.Frontend.Sms;

namespace Notify.Tests.Frontend;

public sealed class InboundSmsRulesTests
{
    // Twilio's webhook-security documentation: this URL, these fields, token 12345 and this signature.
    private const string DocumentedUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string DocumentedSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    [Fact]
    public void Signature_AcceptsTwiliosDocumentedExample()
    {
        Assert.True(TwilioSignature.IsValid("12345", DocumentedUrl, DocumentedForm(), DocumentedSignature));
    }

    [Fact]
    public void Signature_RefusesAnotherToken_Url_Field_OrNone()
    {
        Assert.False(TwilioSignature.IsValid("54321", DocumentedUrl, DocumentedForm(), DocumentedSignature));
        Assert.False(TwilioSignature.IsValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", DocumentedForm(), DocumentedSignature));
        Assert.False(TwilioSignature.IsValid("12345", DocumentedUrl, DocumentedForm(digits: "9999"), DocumentedSignature));
        Assert.False(TwilioSignature.IsValid("12345", DocumentedUrl, DocumentedForm(), null));
        Assert.False(TwilioSignature.IsValid("12345", DocumentedUrl, DocumentedForm(), ""));
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

    // Out of Twilio's order on purpose: the check sorts the fields by name.
    private static FormCollection DocumentedForm(string digits = "1234") => new(new Dictionary<string, StringValues>
    {
        ["To"] = "+18005551212",
        ["CallSid"] = "CA1234567890ABCDE",
        ["Digits"] = digits,
        ["From"] = "+12349013030",
        ["Caller"] = "+12349013030",
    });
}
