using Notify.Metadata.Model;
using Notify.Shared.Messages;

namespace Notify.Sender.Processing;

/// <summary>
/// One task of a message: a notification for one subscriber, or (with no notification) a confirmation
/// request. <paramref name="Work"/> is set when the task is a delivery's later attempt (a retry, a paced
/// delivery or a redrive) received as queue work of its own.
/// </summary>
internal readonly record struct DeliveryTarget(Subscription Subscription, Notification? Notification, DeliveryWork? Work = null);
