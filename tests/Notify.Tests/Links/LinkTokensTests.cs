using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;
using Notify.Shared.Links;
using Notify.Tests.Support;

namespace Notify.Tests.Links;

public sealed class LinkTokensTests : IDisposable
{
    private const string OtherKey = "HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4=";

    private readonly TempDirectory _directory = new();

    [Fact]
    public void Derive_IsTheDocumentedHmac_AndStableAcrossInstances()
    {
        var expected = System.Buffers.Text.Base64Url.EncodeToString(
            HMACSHA256.HashData(Convert.FromBase64String(TestLinkTokens.Key), Encoding.UTF8.GetBytes("unsubscribe:01JSUB")));

        Assert.Equal(expected, TestLinkTokens.Create().Derive(LinkPurpose.Unsubscribe, "01JSUB"));
        Assert.Equal(expected, TestLinkTokens.Create().Derive(LinkPurpose.Unsubscribe, "01JSUB"));
    }

    [Fact]
    public void Derive_DiffersByPurposeBySubscriptionAndByKey()
    {
        var tokens = TestLinkTokens.Create();
        var confirm = tokens.Derive(LinkPurpose.Confirm, "01JSUB");

        Assert.NotEqual(confirm, tokens.Derive(LinkPurpose.Unsubscribe, "01JSUB"));
        Assert.NotEqual(confirm, tokens.Derive(LinkPurpose.Confirm, "01JSUC"));
        Assert.NotEqual(confirm, TestLinkTokens.Create(OtherKey).Derive(LinkPurpose.Confirm, "01JSUB"));
    }

    [Fact]
    public void Accepts_TheDerivedTokenOfItsPurposeOnly()
    {
        var tokens = TestLinkTokens.Create();
        var unsubscribe = tokens.Derive(LinkPurpose.Unsubscribe, "01JSUB");

        Assert.True(tokens.Accepts(LinkPurpose.Unsubscribe, "01JSUB", unsubscribe, storedHash: null));
        Assert.False(tokens.Accepts(LinkPurpose.Confirm, "01JSUB", unsubscribe, storedHash: null));
        Assert.False(tokens.Accepts(LinkPurpose.Unsubscribe, "01JSUC", unsubscribe, storedHash: null));
        Assert.False(TestLinkTokens.Create(OtherKey).Accepts(LinkPurpose.Unsubscribe, "01JSUB", unsubscribe, storedHash: null));
        Assert.False(tokens.Accepts(LinkPurpose.Unsubscribe, "01JSUB", unsubscribe[..^1], storedHash: null));
        Assert.False(tokens.Accepts(LinkPurpose.Unsubscribe, "01JSUB", unsubscribe + "AAAA", storedHash: null));
        Assert.False(tokens.Accepts(LinkPurpose.Unsubscribe, "01JSUB", "not base64 at all!", storedHash: null));
    }

    [Fact]
    public void Accepts_ATokenIssuedBeforeDerivation_ThroughItsStoredHash()
    {
        var tokens = TestLinkTokens.Create();
        var hash = LinkTokens.Hash("random-token-of-an-old-subscription");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("random-token-of-an-old-subscription"))), hash);
        Assert.True(tokens.Accepts(LinkPurpose.Confirm, "01JOLD", "random-token-of-an-old-subscription", hash));
        Assert.False(tokens.Accepts(LinkPurpose.Confirm, "01JOLD", "another-token", hash));
        Assert.False(tokens.Accepts(LinkPurpose.Confirm, "01JOLD", "random-token-of-an-old-subscription", storedHash: "not a hash"));
    }

    [Fact]
    public void WithoutAConfiguredKey_InEmbeddedMode_OneKeyFileIsGenerated_AndSharedByEveryProcessOnTheDirectory()
    {
        var notify = Options.Create(new NotifyOptions { DataDirectory = _directory.Path });

        // As a Frontend and a Sender starting together would: each derives first, with no key file yet.
        var derived = Enumerable.Range(0, 8).AsParallel()
            .Select(_ => new LinkTokens(Options.Create(new LinkOptions()), notify).Derive(LinkPurpose.Confirm, "01JSUB"))
            .ToArray();

        var file = _directory.File("link-token.key");
        Assert.Single(derived.Distinct());
        Assert.Equal(TestLinkTokens.Create(File.ReadAllText(file).Trim()).Derive(LinkPurpose.Confirm, "01JSUB"), derived[0]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(["link-token.key"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AKeyFileThatHoldsNoKey_StopsWithWhatToDo()
    {
        File.WriteAllText(_directory.File("link-token.key"), "garbage\n");
        var tokens = new LinkTokens(Options.Create(new LinkOptions()), Options.Create(new NotifyOptions { DataDirectory = _directory.Path }));

        var error = Assert.Throws<InvalidOperationException>(() => tokens.Derive(LinkPurpose.Confirm, "01JSUB"));

        Assert.Contains("link-token.key", error.Message, StringComparison.Ordinal);
        Assert.Contains("delete it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Aws", null, "Notify:Links:TokenKey must be set in Aws mode")]
    [InlineData("Embedded", "dG9vIHNob3J0", "Notify:Links:TokenKey must be the base64 of 32 random bytes")]
    [InlineData("Aws", "not base64!", "Notify:Links:TokenKey must be the base64 of 32 random bytes")]
    public async Task AMissingOrMalformedKey_StopsTheStart_NamingTheSetting(string mode, string? key, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:Mode"] = mode,
            ["Notify:DataDirectory"] = _directory.Path,
            ["Notify:Links:TokenKey"] = key,
        });
        builder.Services.AddNotifyLinks();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
