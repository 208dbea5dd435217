using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;

namespace Notify.Sender.Delivery;

/// <summary>The retry schedule of a subscription's deliveries: its own <see cref="DeliveryPolicy"/>'s, else its protocol's.</summary>
internal sealed class DeliverySchedules(IOptions<DeliveryOptions> options)
{
    private readonly RetrySchedule _webhook = options.Value.Webhook.Schedule;
    private readonly RetrySchedule _email = options.Value.Email.Schedule;
    private readonly RetrySchedule _sms = options.Value.Sms.Schedule;

    public RetrySchedule For(Subscription subscription) =>
        subscription.DeliveryPolicy?.RetrySeconds is { } own && RetrySchedule.Problem(own) is null
            ? new RetrySchedule(own)
            : subscription.Protocol switch
            {
                Protocol.Email => _email,
                Protocol.Sms => _sms,
                _ => _webhook,
            };
}
