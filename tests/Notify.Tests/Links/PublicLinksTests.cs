using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;
using Notify.Shared.Links;

namespace Notify.Tests.Links;

public sealed class PublicLinksTests
{
    [Theory]
    [InlineData("https://notify.example", "https://notify.example/v1/subscriptions/sub-1/unsubscribe?token=t%2B1")]
    [InlineData("https://notify.example/notify", "https://notify.example/notify/v1/subscriptions/sub-1/unsubscribe?token=t%2B1")]
    [InlineData("https://notify.example/notify/", "https://notify.example/notify/v1/subscriptions/sub-1/unsubscribe?token=t%2B1")]
    [InlineData("https://notify.example/?tenant=a", "https://notify.example/v1/subscriptions/sub-1/unsubscribe?token=t%2B1")]
    [InlineData("https://notify.example/notify?tenant=a#top", "https://notify.example/notify/v1/subscriptions/sub-1/unsubscribe?token=t%2B1")]
    [InlineData("http://[::1]:5080", "http://[::1]:5080/v1/subscriptions/sub-1/unsubscribe?token=t%2B1")]
    public void UnsubscribeUrl_IsTheBasesPathAndTheEscapedLink(string publicBaseUrl, string expected)
    {
        var links = Links(publicBaseUrl);

        var url = links.UnsubscribeUrl("sub-1", "t+1");

        Assert.Equal(expected, url);
        Assert.Equal(expected, new Uri(url).AbsoluteUri);
        Assert.Equal(expected.Replace("unsubscribe", "confirm", StringComparison.Ordinal), links.ConfirmUrl("sub-1", "t+1"));
    }

    private static PublicLinks Links(string publicBaseUrl) =>
        new(Options.Create(new NotifyOptions { PublicBaseUrl = new Uri(publicBaseUrl) }), new ServiceCollection().BuildServiceProvider());
}
