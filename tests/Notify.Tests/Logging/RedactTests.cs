using Notify.Shared.Logging;

namespace Notify.Tests.Logging;

public sealed class RedactTests
{
    [Theory]
    [InlineData("jane@example.com", "j***@example.com")]
    [InlineData("a@b.co", "a***@b.co")]
    [InlineData("no-at-sign", "***")]
    public void Email_KeepsTheFirstLetterAndTheDomain(string address, string expected) =>
        Assert.Equal(expected, Redact.Email(address));

    [Theory]
    [InlineData("+447911123456", "+4479******56")]
    [InlineData("+15551234567", "+1555*****67")]
    [InlineData("+1234567", "+***")]
    public void Phone_KeepsThePrefixAndTheLastTwoDigits(string number, string expected) =>
        Assert.Equal(expected, Redact.Phone(number));

    [Theory]
    [InlineData("https://user:secret@hooks.example.com/services/T000/B000/XXXX?sig=abc", "https://hooks.example.com")]
    [InlineData("http://127.0.0.1:8080/hook", "http://127.0.0.1:8080")]
    [InlineData("https://example.com", "https://example.com")]
    public void Endpoint_IsSchemeHostAndPortOnly(string url, string expected) =>
        Assert.Equal(expected, Redact.Endpoint(new Uri(url)));

    [Theory]
    [InlineData(
        "Connection refused (https://user:pw@hooks.example.com/T000/secret?sig=abc)",
        "Connection refused (https://hooks.example.com)")]
    [InlineData(
        "Invalid request line: 'GET /v1/subscriptions/1/confirm?token=abc HTTP/1.1'",
        "Invalid request line: 'GET /v1/subscriptions/1/confirm?(redacted) HTTP/1.1'")]
    [InlineData(
        "550 5.1.1 <jane.doe@example.com>: Recipient address rejected",
        "550 5.1.1 <j***@example.com>: Recipient address rejected")]
    [InlineData(
        "The 'To' number +447911123456 is not a valid phone number.",
        "The 'To' number +4479******56 is not a valid phone number.")]
    public void Text_HidesUrlsQueriesAddressesAndNumbers(string text, string expected) =>
        Assert.Equal(expected, Redact.Text(text));

    [Theory]
    [InlineData("Delivered message 01a2 to subscription 01a3 (Webhook) at attempt 1")]
    [InlineData("Now listening on: http://127.0.0.1:5000")]
    [InlineData("admin GET /v1/topics/{name} -> 200 in 1.2 ms")]
    [InlineData("Is the queue there? It is.")]
    [InlineData("Publish /v1/topics/orders/messages by admin:61270208 from ::1 at 2026-12-03T06:53:09.5167012Z: success (202)")]
    [InlineData("0HNH3K2B1V9QF:00000001")]
    public void Text_LeavesTextWithoutSecretsAsItIs(string text) =>
        Assert.Equal(text, Redact.Text(text));
}
