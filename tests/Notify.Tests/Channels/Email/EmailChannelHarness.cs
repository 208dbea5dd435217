using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Notify.Metadata.Model;
using Notify.Sender.Channels;
using Notify.Sender.Channels.Email;
using Notify.Shared.Links;
using Notify.Shared.Messages;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;

namespace Notify.Tests.Channels.Email;

/// <summary>
/// The email channel wired as the Sender wires it (options bound from configuration, the composer, the
/// pooled mailer and the retry policy), pointed at a real SMTP server, with its logs collected. Retries
/// wait no time, so a test sees every attempt at once.
/// </summary>
internal sealed class EmailChannelHarness : IAsyncDisposable
{
    public const int MaxAttempts = 3;

    private readonly ServiceProvider _services;

    public EmailChannelHarness(int smtpPort, params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notify:PublicBaseUrl"] = "http://localhost:5080",
            ["Notify:Email:SmtpHost"] = "127.0.0.1",
            ["Notify:Email:SmtpPort"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notify:Email:Security"] = "None",
            ["Notify:Email:From"] = "Notify <notify@example.com>",
            ["Notify:Email:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notify:Email:BaseDelay"] = "00:00:00",
            ["Notify:Email:MaxPerSecond"] = "10000",
            ["Notify:Email:AttemptTimeout"] = "00:00:20",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton(TimeProvider.System)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(Logs)));
        services.AddOptions<Notify.Shared.Configuration.NotifyOptions>().BindConfiguration("Notify");
        services.AddSingleton(TestLinkTokens.Create());
        services.AddSingleton<PublicLinks>();
        services.AddEmailChannel();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public FakeLogCollector Logs { get; } = new();

    public EmailChannel Channel => _services.GetRequiredService<EmailChannel>();

    /// <summary>Delivers one notification to <paramref name="to"/>, a confirmed subscriber of the topic "orders".</summary>
    public Task<DeliveryResult> DeliverAsync(string to, string message = "order 42 shipped") =>
        Channel.DeliverAsync(
            new Notification { MessageId = Guid.NewGuid().ToString("N"), Topic = "orders", Message = message, Timestamp = DateTimeOffset.UnixEpoch },
            Subscription(to),
            plan: null,
            CancellationToken.None);

    /// <summary>
    /// Asserts that each of the delivery's attempts logged an error naming <paramref name="setting"/>,
    /// and that no log names <paramref name="secret"/>.
    /// </summary>
    public void AssertSettingsRefused(int attempts, string setting, string? secret = null)
    {
        var refusals = Logs.GetSnapshot().Where(e => e.Id.Name == "SmtpSettingsRefused").ToList();
        Assert.Equal(attempts, refusals.Count);
        Assert.All(refusals, e =>
        {
            Assert.Equal(LogLevel.Error, e.Level);
            Assert.Contains(setting, e.Message, StringComparison.Ordinal);
        });
        if (secret is not null)
        {
            Assert.DoesNotContain(secret, Logs.AllText, StringComparison.Ordinal);
        }
    }

    public static Subscription Subscription(string endpoint) => new()
    {
        Id = "01J" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
        Topic = "orders",
        Protocol = Protocol.Email,
        Endpoint = endpoint,
        Status = SubscriptionStatus.Confirmed,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
    }
}
