using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Sender;
using Notify.Sender.Channels;
using Notify.Sender.Channels.Webhooks;
using Notify.Shared.Messages;
using Notify.Shared.Queue;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;

namespace Notify.Tests.Webhooks.Support;

/// <summary>
/// The webhook channel as <c>AddNotifySender</c> wires it (options, named HttpClient, guard, pipeline),
/// on a manual clock. The host is built, never started, so no retriever runs.
/// </summary>
internal sealed class WebhookHarness : IDisposable
{
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromMinutes(5);

    private readonly IHost _host;

    private WebhookHarness(IHost host, TimerSignallingTimeProvider clock)
    {
        _host = host;
        Clock = clock;
    }

    public TimerSignallingTimeProvider Clock { get; }

    public FakeLogCollector Logs => _host.Services.GetFakeLogCollector();

    public WebhookChannel Channel => _host.Services.GetRequiredService<WebhookChannel>();

    public IServiceProvider Services => _host.Services;

    /// <param name="settings">Overrides of the defaults below (keys as in configuration).</param>
    /// <param name="primaryHandler">Replaces the real socket handler; only for pure timing tests.</param>
    public static WebhookHarness Create(
        IDictionary<string, string?>? settings = null,
        HttpMessageHandler? primaryHandler = null,
        string environment = "Production")
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Notify:PublicBaseUrl"] = "https://notify.example/",
            ["Notify:Links:TokenKey"] = TestLinkTokens.Key,
            ["Notify:Webhooks:AllowPrivateNetworks"] = "true",
            ["Notify:Webhooks:RequireHttps"] = "false",
            ["Notify:Webhooks:AttemptTimeout"] = DefaultAttemptTimeout.ToString(),
            ["Notify:Webhooks:MaxAttempts"] = "4",
            ["Notify:Webhooks:BaseDelay"] = "00:00:01",
            ["Notify:Webhooks:MaxDelay"] = "00:00:30",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var clock = new TimerSignallingTimeProvider();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.AddFakeLogging();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IMessageQueue, InMemoryQueue>();
        builder.Services.AddSingleton<IMetadataStore, InMemoryMetadataStore>();
        builder.AddNotifySender();
        if (primaryHandler is not null)
        {
            builder.Services.AddHttpClient(WebhookSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => primaryHandler);
        }

        return new WebhookHarness(builder.Build(), clock);
    }

    public static Subscription Subscription(Uri endpoint, string id = "0190a1b2-sub", SubscriptionStatus status = SubscriptionStatus.Confirmed) => new()
    {
        Id = id,
        Topic = "orders",
        Protocol = Protocol.Webhook,
        Endpoint = endpoint.AbsoluteUri,
        Status = status,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    public static Notification Notification(string? subject = "Shipped", IReadOnlyDictionary<string, string>? attributes = null) => new()
    {
        MessageId = "0190a1b2-msg",
        Topic = "orders",
        Subject = subject,
        Message = "order 42 shipped",
        Attributes = attributes,
        Timestamp = new DateTimeOffset(2026, 1, 1, 12, 30, 0, TimeSpan.Zero),
    };

    public Task<DeliveryResult> DeliverAsync(Uri endpoint) =>
        Channel.DeliverAsync(Notification(), Subscription(endpoint), plan: null, CancellationToken.None);

    /// <summary>The next retry delay armed on the clock (attempt-timeout timers are skipped).</summary>
    public async Task<TimeSpan> NextRetryDelayAsync(TimeSpan? attemptTimeout = null)
    {
        while (true)
        {
            var due = await Clock.NextTimerAsync();
            if (due != (attemptTimeout ?? DefaultAttemptTimeout))
            {
                return due;
            }
        }
    }

    /// <summary>
    /// Lets <paramref name="delivery"/> run to its end, moving the clock through each retry delay as soon
    /// as it is armed; returns the result and the delays waited. Attempt-timeout timers are not advanced.
    /// </summary>
    public async Task<(DeliveryResult Result, List<TimeSpan> Delays)> RunThroughRetriesAsync(
        Task<DeliveryResult> delivery, TimeSpan? attemptTimeout = null)
    {
        var delays = new List<TimeSpan>();
        using var done = new CancellationTokenSource();
        while (true)
        {
            var timer = Clock.NextTimerAsync(done.Token);
            if (await Task.WhenAny(delivery, timer) == delivery)
            {
                await done.CancelAsync();
                return (await Eventually.Within(delivery), delays);
            }

            var due = await timer;
            if (due == (attemptTimeout ?? DefaultAttemptTimeout))
            {
                continue;
            }

            delays.Add(due);
            Clock.Advance(due);
        }
    }

    public void Dispose() => _host.Dispose();
}
