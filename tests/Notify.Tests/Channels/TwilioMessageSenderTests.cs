using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Sender.Channels;
using Notify.Sender.Channels.Providers;
using Notify.Sender.Channels.Sms;
using Notify.Shared.Sms;
using Notify.TestServers;
using Notify.Tests.Webhooks.Support;

namespace Notify.Tests.Channels;

/// <summary>
/// SMS through Twilio's SDK, wired as the Sender wires it (the factory's HttpClient, BaseUrl pointing the
/// SDK at a server that speaks Twilio's Messages API), and how each answer is classified.
/// </summary>
public sealed class TwilioMessageSenderTests : IClassFixture<TwilioServer>
{
    private const string To = "+15551230000";
    private const string From = "+15550000000";

    private readonly TwilioServer _twilio;
    private readonly FakeLogCollector _logs = new();

    public TwilioMessageSenderTests(TwilioServer twilio)
    {
        _twilio = twilio;
        _twilio.Reset();
    }

    [Fact]
    public async Task FromANumber_SendsToFromAndBody_WithTheAccountsCredentials_ToTheConfiguredBaseUrl()
    {
        await using var services = Services();

        var attempt = await Sender(services).SendAsync(To, "Disk 90% full", CancellationToken.None);

        Assert.Equal(ProviderAttempt.Accepted("HTTP 201"), attempt);
        var sent = Assert.Single(_twilio.Sent);
        Assert.Equal(_twilio.AccountSid, sent.AccountSid);
        Assert.Equal(_twilio.AccountSid, sent.AuthorizationUser);
        Assert.Equal(_twilio.AuthToken, sent.AuthorizationPassword);
        Assert.Equal(new Dictionary<string, string> { ["To"] = To, ["From"] = From, ["Body"] = "Disk 90% full" }, sent.Form);
    }

    [Fact]
    public async Task WithAMessagingService_SendsItsSidInsteadOfAFromNumber()
    {
        var service = "MG" + new string('0', 32);
        await using var services = Services(("Notify:Sms:Twilio:MessagingServiceSid", service));

        var attempt = await Sender(services).SendAsync(To, "hello", CancellationToken.None);

        Assert.Equal(ProviderOutcome.Accepted, attempt.Outcome);
        var sent = Assert.Single(_twilio.Sent);
        Assert.Equal(service, sent.Form["MessagingServiceSid"]);
        Assert.False(sent.Form.ContainsKey("From"));
    }

    [Theory]
    [InlineData(21211, "The 'To' number +15551230000 is not a valid phone number.", false)]
    [InlineData(21610, "Attempt to send to unsubscribed recipient", true)]
    public async Task A400WithATwilioCode_IsAPermanentRefusalOfTheRecipient(int code, string message, bool optedOut)
    {
        _twilio.FailNumber(To, 400, code, message);
        await using var services = Services();

        var attempt = await Sender(services).SendAsync(To, "hello", CancellationToken.None);

        Assert.Equal(ProviderOutcome.Permanent, attempt.Outcome);
        Assert.Equal($"twilio:{code} HTTP 400", attempt.Status);
        Assert.Equal(new DeliveryRefusal($"twilio:{code}", message, optedOut), attempt.Refusal);
        Assert.Empty(_logs.GetSnapshot());
    }

    [Fact]
    public async Task WrongCredentials_AreGivenUpWithoutBlamingTheRecipient_AndLoggedNamingTheSettings()
    {
        await using var services = Services(("Notify:Sms:Twilio:AuthToken", "wrong-token"));

        var attempt = await Sender(services).SendAsync(To, "hello", CancellationToken.None);

        Assert.Equal(ProviderAttempt.Permanent("twilio:20003 HTTP 401", refusal: null), attempt);
        AssertSettingsLogged("twilio:20003 HTTP 401");
        Assert.DoesNotContain("wrong-token", _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABaseUrlThatIsNotTwiliosApi_IsASettingsProblem_NotTheRecipients()
    {
        // The SDK's path is resolved under the base URL's own path, where Twilio has nothing.
        await using var services = Services(("Notify:Sms:Twilio:BaseUrl", new Uri(_twilio.BaseUrl, "not-the-api/").AbsoluteUri));

        var attempt = await Sender(services).SendAsync(To, "hello", CancellationToken.None);

        Assert.Equal(ProviderAttempt.Permanent("twilio:20404 HTTP 404", refusal: null), attempt);
        Assert.Empty(_twilio.Requests);
        AssertSettingsLogged("twilio:20404 HTTP 404");
    }

    [Fact]
    public async Task Throttling_IsTransient_AndCarriesTwiliosRetryAfter()
    {
        _twilio.FailNextRequests(1, 429, retryAfterSeconds: 3);
        _twilio.FailNextRequests(1, 503);
        await using var services = Services();
        var sender = Sender(services);

        var throttled = await sender.SendAsync(To, "hello", CancellationToken.None);
        var unavailable = await sender.SendAsync(To, "hello", CancellationToken.None);

        Assert.Equal(ProviderAttempt.Transient("twilio:20429 HTTP 429", TimeSpan.FromSeconds(3)), throttled);
        Assert.Equal(ProviderAttempt.Transient("twilio:20503 HTTP 503"), unavailable);
    }

    [Fact]
    public async Task AProxysAnswerWithoutTwiliosErrorBody_IsClassifiedByItsStatus()
    {
        // The SDK reports an answer it cannot read as Twilio's error with status 0; the status seen on the wire decides.
        await using var proxy = await WebhookTestServer.StartAsync(
            new WebhookTestServer.Reply(502, RetryAfter: "2"), new WebhookTestServer.Reply(301, Location: "https://example.com/"));
        await using var services = Services(("Notify:Sms:Twilio:BaseUrl", proxy.BaseUrl.AbsoluteUri));
        var sender = Sender(services);

        var badGateway = await sender.SendAsync(To, "hello", CancellationToken.None);
        var redirected = await sender.SendAsync(To, "hello", CancellationToken.None);

        Assert.Equal(ProviderAttempt.Transient("HTTP 502", TimeSpan.FromSeconds(2)), badGateway);

        // The SDK takes a redirect for success, but it created nothing.
        Assert.Equal(ProviderAttempt.Permanent("HTTP 301", refusal: null), redirected);
        AssertSettingsLogged("HTTP 301");
        Assert.All(proxy.Requests, r => Assert.Equal($"/2010-04-01/Accounts/{_twilio.AccountSid}/Messages.json", r.PathAndQuery));
    }

    [Fact]
    public async Task AnUnreachableTwilio_IsTransient()
    {
        await using var services = Services(("Notify:Sms:Twilio:BaseUrl", $"http://127.0.0.1:{FreePort.Next()}/"));

        var attempt = await Sender(services).SendAsync(To, "hello", CancellationToken.None);

        Assert.Equal(ProviderAttempt.Transient("connection failed (ConnectionError)"), attempt);
    }

    [Fact]
    public async Task Cancelling_AbortsTheRequest_AndThrows()
    {
        _twilio.Delay = TimeSpan.FromMinutes(2);
        await using var services = Services();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender(services).SendAsync(To, "hello", cancel.Token));

        // The stand-in saw the caller hang up: the SDK's request itself was cancelled, not just left behind.
        var sent = Assert.Single(await _twilio.WaitForSentAsync(r => r.Form["To"] == To, 1, TimeSpan.FromSeconds(30), "the cancelled request"));
        Assert.True(sent.Abandoned);
    }

    [Fact]
    public async Task ASlowTwilio_IsGivenUpAtTheAttemptTimeout()
    {
        _twilio.Delay = TimeSpan.FromMinutes(2);
        var options = new SmsOptions { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromMilliseconds(300) };
        await using var services = Services();
        var sender = Sender(services);
        var caller = new ProviderCaller("SMS", options, TimeProvider.System, new FakeLogger<ProviderCaller>(_logs));

        var result = await caller.CallAsync(static (s, token) => s.SendAsync(To, "hello", token), sender, CancellationToken.None);

        Assert.Equal(DeliveryResult.GaveUp(1, "timed out after 0.3s", "timeout"), result.WithoutHistory());
        Assert.True(Assert.Single(await _twilio.WaitForSentAsync(r => r.Form["To"] == To, 1, TimeSpan.FromSeconds(30), "the timed-out request")).Abandoned);
    }

    private void AssertSettingsLogged(string status)
    {
        var entry = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "TwilioSettingsRefused");
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains(status, entry.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:Sms:Twilio:AccountSid", entry.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:Sms:Twilio:AuthToken", entry.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:Sms:Twilio:BaseUrl", entry.Message, StringComparison.Ordinal);
    }

    private static TwilioMessageSender Sender(IServiceProvider services) => services.GetRequiredService<TwilioMessageSender>();

    private ServiceProvider Services(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notify:Sms:Twilio:AccountSid"] = _twilio.AccountSid,
            ["Notify:Sms:Twilio:AuthToken"] = _twilio.AuthToken,
            ["Notify:Sms:Twilio:From"] = From,
            ["Notify:Sms:Twilio:BaseUrl"] = _twilio.BaseUrl.AbsoluteUri,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton(TimeProvider.System)
            .AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(_logs)));
        services.AddSmsChannel();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
