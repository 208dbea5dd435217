using System.Collections.Concurrent;
using Notify.Metadata.Model;
using Notify.Shared.Filtering;
using Notify.Shared.Messages;

namespace Notify.Sender.Processing;

/// <summary>
/// Applies subscriptions' filter policies, each parsed once and kept by its text: a topic's subscribers
/// are matched against every message, and most share a handful of policies. The one place a policy is
/// evaluated: the fan-out's, and the Frontend's replay, which queues only what a subscription would have received.
/// </summary>
public sealed partial class FilterPolicies(ILogger logger)
{
    // Policies are small (16 KiB at most, usually far less); past this many distinct ones the cache starts over.
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, FilterPolicy?> _parsed = new(StringComparer.Ordinal);

    /// <summary>True when the subscription has no policy, or its policy matches the message's attributes.</summary>
    public bool Admits(Subscription subscription, Notification notification)
    {
        if (subscription.FilterPolicy is not { } text)
        {
            return true;
        }

        if (!_parsed.TryGetValue(text, out var policy))
        {
            if (_parsed.Count >= MaxCached)
            {
                _parsed.Clear();
            }

            policy = FilterPolicy.TryParse(text, out var parsed, out var error) ? parsed : null;
            if (policy is null)
            {
                // Policies are checked when they are written, so only a store changed by hand gets here.
                // Delivering is the safer mistake: at least once, and the receiver can drop it.
                Log.Unreadable(logger, subscription.Id, error!);
            }

            _parsed[text] = policy;
        }

        return policy?.Matches(notification.Attributes) ?? true;
    }

    private static partial class Log
    {
        [LoggerMessage(222, LogLevel.Error,
            "The stored filter policy of subscription {SubscriptionId} cannot be read ({Reason}); it receives every message until the policy is replaced",
            EventName = "FilterPolicyUnreadable")]
        public static partial void Unreadable(ILogger logger, string subscriptionId, string reason);
    }
}
