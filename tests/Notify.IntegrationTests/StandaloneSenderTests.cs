using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>The Sender as its own process (<c>dotnet run --project Sender</c>) beside a Frontend.</summary>
public sealed class StandaloneSenderTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private WebhookReceiver _receiver = null!;
    private NotifyService _frontend = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _frontend = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "false" });
    }

    public async Task DisposeAsync()
    {
        await _frontend.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task FrontendWithoutSender_DeliversNothing_UntilAStandaloneSenderRuns()
    {
        await _frontend.Client.CreateTopicAsync("split");
        var subscription = await _frontend.Client.SubscribeAsync("split", "webhook", _receiver.Url("split").AbsoluteUri);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(_receiver.Received);

        await using var sender = await NotifyProcess.StartSenderAsync(new Dictionary<string, string?>
        {
            ["Notify:DataDirectory"] = _frontend.DataDirectory,
            ["Notify:PublicBaseUrl"] = _frontend.Process.BaseAddress.AbsoluteUri,
            ["Notify:Webhooks:AllowPrivateNetworks"] = "true",
            ["Notify:Sender:WaitTime"] = "00:00:01",
        });

        var confirmation = (await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "SubscriptionConfirmation"), Patience, "the confirmation from the Sender process"))
            .First(x => x.Type == "SubscriptionConfirmation");
        var confirmUrl = confirmation.Json.GetProperty("confirmUrl").GetString()!;
        Assert.StartsWith(_frontend.Process.BaseAddress.AbsoluteUri, confirmUrl, StringComparison.Ordinal);
        Assert.Equal(subscription.GetProperty("id").GetString(), confirmation.Json.GetProperty("subscriptionId").GetString());
        await NotifyClient.FollowLinkAsync(confirmUrl);

        var accepted = await _frontend.Client.PublishAsync("split", new { message = "via the Sender process" });
        var messageId = accepted.GetProperty("messageId").GetString();

        // The Sender's in-process cache may hold the subscriber list from before the confirmation for
        // up to Notify:Cache:Ttl (10 s); the message waits in the queue and is delivered after that.
        await _receiver.WaitUntilAsync(
            r => r.Any(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == messageId), Patience, "the notification");
    }

    [Fact]
    public async Task StandaloneSender_WithoutPublicBaseUrl_RefusesToStart()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NotifyProcess.StartSenderAsync(new Dictionary<string, string?>
        {
            ["Notify:DataDirectory"] = _frontend.DataDirectory,
        }));
        Assert.Contains("Notify:PublicBaseUrl", error.Message, StringComparison.Ordinal);
    }
}
