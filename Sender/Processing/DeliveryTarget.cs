using Notify.Metadata.Model;
using Notify.Shared.Messages;

namespace Notify.Sender.Processing;

/// <summary>One task of a message: a notification for one subscriber, or (with no notification) a confirmation request.</summary>
internal readonly record struct DeliveryTarget(Subscription Subscription, Notification? Notification);
