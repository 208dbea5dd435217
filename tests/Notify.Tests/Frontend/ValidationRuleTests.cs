using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Validation;
using Notify.Metadata.Model;

namespace Notify.Tests.Frontend;

public sealed class ValidationRuleTests
{
    [Theory]
    [InlineData("orders")]
    [InlineData("A-Z_a-z-0-9")]
    [InlineData("x")]
    public void TopicName_Valid_HasNoProblem(string name) => Assert.Null(TopicNameRule.Check(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("dot.ted")]
    [InlineData("slash/ed")]
    [InlineData("émoji")]
    public void TopicName_Invalid_SaysWhatToFix(string? name) => Assert.NotNull(TopicNameRule.Check(name));

    [Theory]
    [InlineData("PT1S", 1)]
    [InlineData("PT1H", 3_600)]
    [InlineData("P7D", 604_800)]
    [InlineData("P1W", 604_800)]
    [InlineData("P1DT12H30M5S", 131_405)]
    [InlineData("PT90M", 5_400)]
    [InlineData("P30D", 2_592_000)]
    public void Retention_Valid_IsReadAsItsSeconds(string value, int seconds)
    {
        Assert.Null(RetentionRule.Check(value, out var retention));
        Assert.Equal(TimeSpan.FromSeconds(seconds), retention);
        Assert.Matches(RetentionRule.Pattern, value);
    }

    [Theory]
    [InlineData("P40D")]
    [InlineData("PT0S")]
    [InlineData("P30DT1S")]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("PT1.5S")]
    [InlineData("7 days")]
    [InlineData("")]
    [InlineData("P99999999999D")]
    public void Retention_Invalid_SaysWhatToSend(string value)
    {
        var problem = RetentionRule.Check(value, out var retention);

        Assert.Null(retention);
        Assert.Contains($"retention is \"{value}\"; it must be an ISO 8601 duration from PT1S to P30D, such as \"P7D\"", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P1M")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("PT1.5S")]
    public void RetentionPattern_RefusesWhatTheRuleRefusesByForm(string value) => Assert.DoesNotMatch(RetentionRule.Pattern, value);

    [Theory]
    [InlineData(7, "P7D")]
    [InlineData(0.5, "PT12H")]
    public void Retention_IsWrittenAsAnIso8601Duration(double days, string expected) =>
        Assert.Equal(expected, RetentionRule.Format(TimeSpan.FromDays(days)));

    [Fact]
    public void TopicName_Of256Characters_IsValid_257IsNot()
    {
        Assert.Null(TopicNameRule.Check(new string('a', 256)));
        Assert.Contains("limit is 256", TopicNameRule.Check(new string('a', 257)), StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_MessageOf256KiB_FitsTheLimit_OneMoreByteDoesNot()
    {
        Assert.Null(PublishRule.OversizeBytes(new PublishRequest(new string('x', 262_144), null, null, null)));
        Assert.Equal(262_145, PublishRule.OversizeBytes(new PublishRequest(new string('x', 262_145), null, null, null)));
    }

    [Fact]
    public void Publish_SizeCountsSubjectAndAttributesInUtf8()
    {
        var request = new PublishRequest(new string('x', 262_000), "ééé", new() { ["key"] = new string('v', 140) }, null);
        Assert.Equal(262_000 + 6 + 3 + 140, PublishRule.OversizeBytes(request));
    }

    [Theory]
    [InlineData("subject\r\nBcc: x")]
    [InlineData("tab\there")]
    public void Publish_SubjectWithControlCharacters_IsRejected(string subject)
    {
        var errors = PublishRule.Check(new PublishRequest("m", subject, null, null), null);
        Assert.Contains("line breaks", errors!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_MessagesPerProtocol_WithADefault_AreValid()
    {
        Assert.Null(PublishRule.Check(Messages(("default", "d"), ("email", "e"), ("sms", "s"), ("webhook", "w")), null));
        Assert.Null(PublishRule.Check(Messages(("default", "d")), null));
        Assert.Null(PublishRule.Check(new PublishRequest("d", null, null, null, new() { ["sms"] = "s" }), null));
    }

    [Theory]
    [InlineData("push", "'push' is not a key of messages")]
    [InlineData("sms", "needs a 'default' body")]
    public void Publish_MessagesWithAnUnknownKeyOrNoDefault_AreRejected(string key, string expected)
    {
        var errors = PublishRule.Check(Messages((key, "x")), null);
        Assert.Contains(expected, errors!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_DefaultSentTwiceOrEmpty_IsRejected()
    {
        var twice = PublishRule.Check(new PublishRequest("d", null, null, null, new() { ["default"] = "d" }), null);
        Assert.Contains("not both", twice!.Detail, StringComparison.Ordinal);
        var empty = PublishRule.Check(Messages(("default", "d"), ("sms", "")), null);
        Assert.Contains("messages.sms must be a non-empty string", empty!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_SizeCountsEveryProtocolsBody()
    {
        var request = Messages(("default", new string('d', 200_000)), ("email", new string('e', 62_200)));
        Assert.Equal(200_000 + 7 + 62_200 + 5, PublishRule.OversizeBytes(request));
    }

    [Fact]
    public void Publish_TenAttributes_AreAllowed_ElevenAreNot()
    {
        var ten = Enumerable.Range(0, 10).ToDictionary(i => $"a{i}", _ => "v");
        var eleven = Enumerable.Range(0, 11).ToDictionary(i => $"a{i}", _ => "v");
        Assert.Null(PublishRule.Check(new PublishRequest("m", null, ten, null), null));
        Assert.NotNull(PublishRule.Check(new PublishRequest("m", null, eleven, null), null));
    }

    [Fact]
    public void Publish_SameDedupIdInBodyAndHeader_IsAllowed()
    {
        Assert.Null(PublishRule.Check(new PublishRequest("m", null, null, "k-1"), "k-1"));
        Assert.NotNull(PublishRule.Check(new PublishRequest("m", null, null, "k-1"), "k-2"));
    }

    [Theory]
    [InlineData(Protocol.Webhook, "https://example.com/hooks?a=1", "https://example.com/hooks?a=1")]
    [InlineData(Protocol.Webhook, "HTTP://Example.com", "http://example.com/")]
    [InlineData(Protocol.Email, "Bob.Smith@Example.ORG", "Bob.Smith@example.org")]
    [InlineData(Protocol.Sms, "+15551234567", "+15551234567")]
    [InlineData(Protocol.Sms, " +442071838750 ", "+442071838750")]
    public void Endpoint_Valid_IsNormalised(Protocol protocol, string endpoint, string normalized)
    {
        Assert.Null(EndpointRule.Check(protocol, endpoint, out var result));
        Assert.Equal(normalized, result);
    }

    [Theory]
    [InlineData(Protocol.Webhook, "https://example.com/#frag")]
    [InlineData(Protocol.Webhook, "file:///etc/passwd")]
    [InlineData(Protocol.Webhook, "example.com/hook")]
    [InlineData(Protocol.Webhook, "")]
    [InlineData(Protocol.Email, "no-at-sign")]
    [InlineData(Protocol.Email, "a@b")]
    [InlineData(Protocol.Email, "a@.example.com")]
    [InlineData(Protocol.Sms, "+0123456")]
    [InlineData(Protocol.Sms, "+1")]
    [InlineData(Protocol.Sms, "tel:+15551234567")]
    public void Endpoint_Invalid_IsRejected(Protocol protocol, string endpoint) =>
        Assert.NotNull(EndpointRule.Check(protocol, endpoint, out _));

    private static PublishRequest Messages(params (string Key, string Body)[] bodies) =>
        new(null, null, null, null, bodies.ToDictionary(b => b.Key, b => (string?)b.Body));
}
