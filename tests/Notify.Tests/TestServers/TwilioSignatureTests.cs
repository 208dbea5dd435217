using Notify.TestServers;

namespace Notify.Tests.TestServers;

/// <summary>The X-Twilio-Signature computation against the worked example in Twilio's security docs.</summary>
public sealed class TwilioSignatureTests
{
    private const string AuthToken = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    // Out of Twilio's order on purpose: the computation sorts the fields by name.
    private static readonly KeyValuePair<string, string>[] Fields =
    [
        new("To", "+18005551212"),
        new("CallSid", "CA1234567890ABCDE"),
        new("Digits", "1234"),
        new("From", "+12349013030"),
        new("Caller", "+12349013030"),
    ];

    [Fact]
    public void Twilios_documented_example_gives_its_documented_signature()
    {
        // https://www.twilio.com/docs/usage/security#validating-requests (auth token 12345).
        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TwilioSignature.Compute(AuthToken, Url, Fields));
    }

    [Fact]
    public void Another_value_url_or_token_gives_another_signature()
    {
        var signature = TwilioSignature.Compute(AuthToken, Url, Fields);

        Assert.NotEqual(signature, TwilioSignature.Compute(AuthToken, Url, Fields.Select(f => f.Key == "Digits" ? new(f.Key, "9999") : f)));
        Assert.NotEqual(signature, TwilioSignature.Compute(AuthToken, Url.Replace("bar=2", "bar=3", StringComparison.Ordinal), Fields));
        Assert.NotEqual(signature, TwilioSignature.Compute("54321", Url, Fields));
    }

    [Fact]
    public void Names_sort_ordinally_so_upper_case_comes_before_lower_case()
    {
        // Ordinal: "B" < "a". A culture-aware sort would put "a" first and sign "…a1B2".
        Assert.Equal(
            TwilioSignature.Compute(AuthToken, "https://example.com/hookB2a1", []),
            TwilioSignature.Compute(AuthToken, "https://example.com/hook", [new("a", "1"), new("B", "2")]));
    }
}
