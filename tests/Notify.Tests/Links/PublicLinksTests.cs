using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;
using Notify.Shared.Links;
using Notify.Tests.Support;

namespace Notify.Tests.Links;

public sealed class PublicLinksTests
{
    [Theory]
    [InlineData("https://notify.example", "https://notify.example/v1/subscriptions/sub%201/unsubscribe?token=")]
    [InlineData("https://notify.example/notify", "https://notify.example/notify/v1/subscriptions/sub%201/unsubscribe?token=")]
    [InlineData("https://notify.example/notify/", "https://notify.example/notify/v1/subscriptions/sub%201/unsubscribe?token=")]
    [InlineData("https://notify.example/?tenant=a", "https://notify.example/v1/subscriptions/sub%201/unsubscribe?token=")]
    [InlineData("https://notify.example/notify?tenant=a#top", "https://notify.example/notify/v1/subscriptions/sub%201/unsubscribe?token=")]
    [InlineData("http://[::1]:5080", "http://[::1]:5080/v1/subscriptions/sub%201/unsubscribe?token=")]
    public void UnsubscribeUrl_IsTheBasesPathAndTheEscapedLink_WithTheDerivedToken(string publicBaseUrl, string expectedBeforeToken)
    {
        var tokens = TestLinkTokens.Create();
        var links = Links(publicBaseUrl, tokens);
        var expected = expectedBeforeToken + tokens.Derive(LinkPurpose.Unsubscribe, "sub 1");

        var url = links.UnsubscribeUrl("sub 1");

        Assert.Equal(expected, url);
        Assert.Equal(expected, new Uri(url).AbsoluteUri);
        Assert.Equal(expectedBeforeToken.Replace("unsubscribe", "confirm", StringComparison.Ordinal) + tokens.Derive(LinkPurpose.Confirm, "sub 1"), links.ConfirmUrl("sub 1"));
        Assert.Equal(tokens.Derive(LinkPurpose.Confirm, "sub 1"), links.ConfirmToken("sub 1"));
    }

    private static PublicLinks Links(string publicBaseUrl, LinkTokens tokens) =>
        new(Options.Create(new NotifyOptions { PublicBaseUrl = new Uri(publicBaseUrl) }), tokens, new ServiceCollection().BuildServiceProvider());
}
