using System.Net;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>A subscription nobody confirms is deleted after Notify:Subscriptions:PendingExpiry (here 2 s), as SNS deletes them.</summary>
public abstract class PendingExpiryTests(Deployment deployment) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private NotifyService _notify = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _notify = await NotifyService.StartAsync(
            new Dictionary<string, string?>
            {
                ["Notify:Subscriptions:PendingExpiry"] = "00:00:02",
                ["Notify:Subscriptions:SweepInterval"] = "00:00:01",
            },
            deployment);
    }

    public async Task DisposeAsync()
    {
        await _notify.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task PendingSubscription_ExpiresUnconfirmed_AndItsLinkSaysSo()
    {
        await _notify.Client.CreateTopicAsync("expiring");
        var subscription = await _notify.Client.SubscribeAsync("expiring", "webhook", _receiver.Url("late").AbsoluteUri);
        var id = subscription.GetProperty("id").GetString()!;
        var expiresAt = subscription.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(subscription.GetProperty("createdAt").GetDateTimeOffset().AddSeconds(2), expiresAt);
        var request = (await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "SubscriptionConfirmation"), Patience, "the confirmation request"))
            .First(x => x.Type == "SubscriptionConfirmation");

        var deadline = DateTime.UtcNow + Patience;
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            using var current = await _notify.Client.Http.GetAsync($"v1/subscriptions/{id}");
            status = current.StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.True(DateTimeOffset.UtcNow >= expiresAt);
        using var late = await OpenApiContract.CreateClient().GetAsync(request.Json.GetProperty("confirmUrl").GetString());
        await ProblemAssert.IsProblemAsync(late, 404, "not confirmed in time");
        var listed = await NotifyClient.ExpectJsonAsync(await _notify.Client.Http.GetAsync("v1/topics/expiring/subscriptions"), 200);
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());

        var again = await _notify.Client.SubscribeAsync("expiring", "webhook", _receiver.Url("late").AbsoluteUri);
        Assert.NotEqual(id, again.GetProperty("id").GetString());
        Assert.Equal("pending", again.GetProperty("status").GetString());
    }
}

public sealed class EmbeddedPendingExpiryTests() : PendingExpiryTests(Deployment.Embedded);

public sealed class AwsPendingExpiryTests() : PendingExpiryTests(Deployment.Aws);
