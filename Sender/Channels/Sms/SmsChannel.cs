using Microsoft.Extensions.Options;
using Notify.Metadata.Model;
using Notify.Sender.Channels.Providers;
using Notify.Shared.Messages;
using Notify.Shared.Resilience;
using Notify.Shared.Sms;

namespace Notify.Sender.Channels.Sms;

/// <summary>
/// Delivers to <see cref="Protocol.Sms"/> subscribers through Twilio's SDK, paced by
/// <c>Notify:Sms:MaxPerSecond</c> and bounded by its own bulkhead (<c>MaxConcurrent</c>). Opted-out
/// numbers never reach it: the processor drops them first.
/// </summary>
internal sealed class SmsChannel : IDeliveryChannel
{
    private readonly SmsOptions _options;
    private readonly TwilioMessageSender _twilio;
    private readonly ProviderCaller _caller;

    public SmsChannel(IOptions<SmsOptions> options, TwilioMessageSender twilio, TimeProvider timeProvider, ILogger<SmsChannel> logger)
    {
        _options = options.Value;
        _twilio = twilio;
        _caller = new ProviderCaller("SMS", _options, timeProvider, logger);
    }

    public Protocol Protocol => Protocol.Sms;

    public int? MaxConcurrent => _options.MaxConcurrent;

    public Task<DeliveryResult> DeliverAsync(Notification notification, Subscription subscription, RetryPlan? plan, CancellationToken cancellationToken)
    {
        if (_options.WhyDisabled is { } disabled)
        {
            // Subscriptions made while SMS was configured outlive a configuration change.
            return Task.FromResult(DeliveryResult.NotAttempted(disabled, "channel-off"));
        }

        var body = SmsBody.For(notification);
        return _caller.CallAsync(
            static (call, token) => call.Twilio.SendAsync(call.To, call.Body, token),
            (Twilio: _twilio, To: subscription.Endpoint, Body: body),
            plan,
            cancellationToken);
    }

    /// <summary>SMS subscriptions are confirmed when made (as in SNS), so none is ever pending.</summary>
    public Task<DeliveryResult> ConfirmAsync(Subscription subscription, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryResult.NotAttempted("SMS subscriptions are confirmed when made; no confirmation is sent", "not-needed"));
}
