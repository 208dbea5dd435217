using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Metadata.Store;
using Notify.Sender;
using Notify.Shared.Messages;
using Notify.Shared.Queue;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;
using Notify.Tests.Webhooks.Support;

namespace Notify.Tests.Sender;

/// <summary>AddNotifySender as a host uses it: options checked at start, shutdown sized for the drain, a message delivered for real.</summary>
public sealed class SenderHostingTests
{
    [Fact]
    public void SenderOptions_HaveTheDocumentedDefaults()
    {
        var options = new SenderOptions();

        Assert.Null(options.InProcess);
        Assert.Equal(4, options.MaxRetrievers);
        Assert.Equal(1, options.MinRetrievers);
        Assert.Equal(10, options.ReceiveBatchSize);
        Assert.Equal(64, options.MaxConcurrentDeliveries);
        Assert.Equal(TimeSpan.FromSeconds(30), options.VisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.WaitTime);
        Assert.Equal(TimeSpan.FromSeconds(2), options.HandBackAfter);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DrainTimeout);
    }

    [Theory]
    [InlineData("Notify:Sender:ReceiveBatchSize", "11", "ReceiveBatchSize")]
    [InlineData("Notify:Sender:MinRetrievers", "5", "MinRetrievers")]
    [InlineData("Notify:Sender:MaxConcurrentDeliveries", "0", "MaxConcurrentDeliveries")]
    [InlineData("Notify:Sender:WaitTime", "00:00:30", "WaitTime")]
    [InlineData("Notify:Webhooks:MaxAttempts", "0", "MaxAttempts")]
    public async Task Start_WithAnInvalidSetting_FailsNamingTheSetting(string key, string value, string name)
    {
        using var host = Build(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void ShutdownTimeout_IsRaisedToCoverTheDrain()
    {
        using var host = Build(new Dictionary<string, string?> { ["Notify:Sender:DrainTimeout"] = "00:01:00" });

        var shutdown = host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

        Assert.True(shutdown > TimeSpan.FromMinutes(1), $"shutdown timeout {shutdown} does not cover a one-minute drain");
    }

    [Fact]
    public async Task Sender_DeliversAQueuedNotificationToAWebhookSubscriberAndDeletesIt()
    {
        await using var endpoint = await WebhookTestServer.StartAsync(200);
        var queue = new InMemoryQueue();
        var store = new InMemoryMetadataStore();
        store.Add("sub-1", endpoint: endpoint.Url().AbsoluteUri);
        var message = queue.Enqueue("m1", EnvelopeJson.Serialize(QueueEnvelope.For(new Notification
        {
            MessageId = "m1",
            Topic = "orders",
            Message = "order 42 shipped",
            Timestamp = DateTimeOffset.UnixEpoch,
        })));
        using var host = Build(new Dictionary<string, string?>(), queue, store);

        await host.StartAsync();
        var received = await endpoint.NextRequestAsync();
        await queue.WhenDeletedAsync(message);
        await host.StopAsync();

        Assert.Equal("m1", received.Headers["X-Notify-Message-Id"]);
        Assert.Contains("order 42 shipped", received.Body);
    }

    private static IHost Build(Dictionary<string, string?> settings, InMemoryQueue? queue = null, InMemoryMetadataStore? store = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:PublicBaseUrl"] = "https://notify.example/",
            ["Notify:Links:TokenKey"] = TestLinkTokens.Key,
            ["Notify:Webhooks:AllowPrivateNetworks"] = "true",
            ["Notify:Webhooks:RequireHttps"] = "false",
            ["Notify:Sender:WaitTime"] = "00:00:00.100",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IMessageQueue>(queue ?? new InMemoryQueue());
        builder.Services.AddSingleton<IMetadataStore>(store ?? new InMemoryMetadataStore());
        builder.AddNotifySender();
        return builder.Build();
    }
}
