using Notify.Metadata.Model;

namespace Notify.Metadata.Store;

/// <summary>The one rule every store applies to pending subscriptions that were never confirmed.</summary>
internal static class SubscriptionExpiry
{
    /// <summary>
    /// Whether <paramref name="subscription"/> is to be treated as absent at <paramref name="now"/>: pending,
    /// with an expiry time that has come. Confirmed subscriptions and those without an expiry never expire.
    /// </summary>
    public static bool IsExpired(this Subscription subscription, DateTimeOffset now) =>
        subscription.Status == SubscriptionStatus.Pending && subscription.ExpiresAt <= now;
}
