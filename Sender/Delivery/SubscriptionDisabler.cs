using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Sender.Delivery;

/// <summary>
/// Turns off a subscription whose endpoint asked not to be called again (410 Gone), or whose deliveries
/// have failed without a single success for <see cref="DeliveryOptions.DisableAfter"/>. A disabled
/// subscription receives nothing until its owner enables it (<c>POST /v1/subscriptions/{id}/enable</c>).
/// </summary>
internal sealed partial class SubscriptionDisabler(
    IMetadataStore metadata,
    IDeliveryStore deliveries,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<SubscriptionDisabler> logger)
{
    private readonly TimeSpan _disableAfter = options.Value.DisableAfter;

    public Task GoneAsync(Subscription subscription, CancellationToken cancellationToken) =>
        DisableAsync(
            subscription,
            new DeliveryError(
                "http:410",
                $"The endpoint answered 410 Gone, so no more messages are sent to it; enable the subscription again with POST /v1/subscriptions/{subscription.Id}/enable.",
                clock.GetUtcNow()),
            cancellationToken);

    /// <summary>
    /// After a failed delivery: disables the subscription when its deliveries have failed without a success
    /// since at least DisableAfter ago (the stats' <see cref="DeliveryStats.FailingSince"/>), counting from its
    /// confirmation (or its latest enabling) at the earliest.
    /// </summary>
    public async Task CheckFailingAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var confirmed = subscription.ConfirmedAt ?? subscription.CreatedAt;
        if (now - confirmed < _disableAfter)
        {
            return;
        }

        DateTimeOffset? failingSince;
        try
        {
            failingSince = (await deliveries.GetStatsAsync(StatsScope.Subscription(subscription.Id), now, cancellationToken)).FailingSince;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CheckFailed(logger, ex, subscription.Id);
            return;
        }

        if (failingSince is not { } since)
        {
            return;
        }

        since = since > confirmed ? since : confirmed;
        if (now - since >= _disableAfter)
        {
            await DisableAsync(
                subscription,
                new DeliveryError(
                    "failing",
                    $"Every delivery has failed since {since:u} ({_disableAfter.TotalDays:0.##} days or more), so no more messages are sent; " +
                    $"fix the endpoint, then enable the subscription again with POST /v1/subscriptions/{subscription.Id}/enable.",
                    now),
                cancellationToken);
        }
    }

    private async Task DisableAsync(Subscription subscription, DeliveryError reason, CancellationToken cancellationToken)
    {
        try
        {
            var disabled = await metadata.SetDisabledAsync(subscription.Id, reason, cancellationToken);
            if (disabled is { Status: SubscriptionStatus.Disabled })
            {
                Log.Disabled(logger, subscription.Id, subscription.Topic, reason.Code);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.DisableFailed(logger, ex, subscription.Id, reason.Code);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(254, LogLevel.Warning,
            "Disabled subscription {SubscriptionId} of topic {Topic} ({Reason}); it receives nothing until enabled again",
            EventName = "SubscriptionDisabled")]
        public static partial void Disabled(ILogger logger, string subscriptionId, string topic, string reason);

        [LoggerMessage(255, LogLevel.Error,
            "Could not disable subscription {SubscriptionId} ({Reason}); the next failed delivery tries again",
            EventName = "DisableFailed")]
        public static partial void DisableFailed(ILogger logger, Exception exception, string subscriptionId, string reason);

        [LoggerMessage(256, LogLevel.Warning,
            "Could not read the delivery stats of subscription {SubscriptionId} to see whether it has failed too long; the next failure looks again",
            EventName = "FailingCheckFailed")]
        public static partial void CheckFailed(ILogger logger, Exception exception, string subscriptionId);
    }
}
