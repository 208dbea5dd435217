using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Sender.Channels.Email;
using Notify.Shared.Configuration;
using Notify.Shared.Email;

namespace Notify.Tests.Channels.Email;

/// <summary><c>Notify:Email:Security</c>, its old name <c>EnableSsl</c>, and what MailKit is told to do.</summary>
public sealed class EmailSecuritySettingsTests
{
    [Theory]
    [InlineData(null, null, 465, SecureSocketOptions.SslOnConnect)]
    [InlineData(null, null, 587, SecureSocketOptions.StartTls)]
    [InlineData("StartTls", null, 587, SecureSocketOptions.StartTls)]
    [InlineData("SslOnConnect", null, 2465, SecureSocketOptions.SslOnConnect)]
    [InlineData("None", null, 25, SecureSocketOptions.None)]
    [InlineData("auto", null, 465, SecureSocketOptions.SslOnConnect)]
    [InlineData(null, "true", 587, SecureSocketOptions.StartTls)]
    [InlineData(null, "false", 1025, SecureSocketOptions.None)]
    public void Security_AndTheOldEnableSsl_MapOntoMailKitsSocketOptions(string? security, string? enableSsl, int port, SecureSocketOptions expected)
    {
        var options = Bind(("Notify:Email:Security", security), ("Notify:Email:EnableSsl", enableSsl), ("Notify:Email:SmtpPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(expected, SmtpConnectionPool.SocketOptions(options));
    }

    [Fact]
    public void BothSecurityAndEnableSsl_AreRefusedAtStart_NamingBoth()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("Notify:Email:Security", "StartTls"), ("Notify:Email:EnableSsl", "true")));

        Assert.Contains("Notify:Email:EnableSsl", error.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:Email:Security", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSecurity_IsRefusedAtStart_NamingTheSetting()
    {
        var error = Assert.ThrowsAny<Exception>(() => Bind(("Notify:Email:Security", "Tls13Please")));

        Assert.Contains("Notify:Email:Security", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFromWithoutADomain_IsRefusedAtStart()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("Notify:Email:From", "notify")));

        Assert.Contains("Notify:Email:From", error.Message, StringComparison.Ordinal);
    }

    private static EmailOptions Bind(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notify:Email:SmtpHost"] = "smtp.example.com",
            ["Notify:Email:From"] = "notify@example.com",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddNotifyChannelOptions();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<EmailOptions>>().Value;
    }
}
