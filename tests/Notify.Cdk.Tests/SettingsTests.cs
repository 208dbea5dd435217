using Amazon.CDK;

namespace Notify.Cdk.Tests;

/// <summary>Context values: defaults when absent, strings from the command line read as numbers, and a wrong value refused with its name.</summary>
public sealed class SettingsTests : IDisposable
{
    // An app left without an output folder makes a new temporary one each time.
    private readonly string _outdir = Path.Combine(Path.GetTempPath(), "notify-cdk-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void MissingValues_TakeTheirDefaults()
    {
        var settings = Read(new Dictionary<string, object>());

        Assert.Equal(new NotifySettings { RepositoryRoot = "/repo" }, settings);
        Assert.Equal("notify-", settings.ResourcePrefix);
        Assert.True(settings.RetainData);
    }

    [Fact]
    public void CommandLineStrings_AreReadAsTheirTypes()
    {
        var settings = Read(new Dictionary<string, object> { ["redisNodes"] = "4", ["retainData"] = "false", ["senderMaxCount"] = 12 });

        Assert.Equal(4, settings.RedisNodes);
        Assert.False(settings.RetainData);
        Assert.Equal(12, settings.SenderMaxCount);
    }

    [Theory]
    [InlineData("redisNodes", "0", "redisNodes")]
    [InlineData("maxReceiveCount", "five", "maxReceiveCount")]
    [InlineData("retainData", "yes", "retainData")]
    [InlineData("smtpHost", "smtp.example.com", "emailFrom")]
    [InlineData("twilioAccountSid", "AC1", "twilioAuthTokenSecretArn")]
    [InlineData("smtpPasswordSecretArn", "acme/smtp-password", "smtpPasswordSecretArn")]
    [InlineData("senderMaxCount", "0", "senderMaxCount")]
    [InlineData("vpcId", "vpc-1", "privateSubnetIds")]
    [InlineData("prefix", "notify.prod", "prefix")]
    [InlineData("deadLetterReceiveCount", "5", "deadLetterReceiveCount")]
    [InlineData("certificateArn", Support.SynthesizedStacks.CertificateArn, "publicBaseUrl")]
    public void WrongValues_AreRefusedByName(string name, string value, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Read(new Dictionary<string, object> { [name] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_outdir))
        {
            Directory.Delete(_outdir, recursive: true);
        }
    }

    private NotifySettings Read(Dictionary<string, object> context) =>
        NotifySettings.From(new App(new AppProps { Context = context, Outdir = _outdir }), "/repo");
}
