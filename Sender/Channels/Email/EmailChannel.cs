using Microsoft.Extensions.Options;
using MimeKit;
using Notify.Metadata.Model;
using Notify.Sender.Channels.Providers;
using Notify.Shared.Email;
using Notify.Shared.Messages;
using Notify.Shared.Resilience;

namespace Notify.Sender.Channels.Email;

/// <summary>
/// Delivers to <see cref="Protocol.Email"/> subscribers over SMTP (or into a pickup directory), paced
/// by <c>Notify:Email:MaxPerSecond</c> and bounded by its own bulkhead (<c>MaxConcurrent</c>).
/// </summary>
internal sealed class EmailChannel : IDeliveryChannel
{
    private readonly EmailOptions _options;
    private readonly EmailComposer _composer;
    private readonly SmtpMailer _mailer;
    private readonly ProviderCaller _caller;

    public EmailChannel(IOptions<EmailOptions> options, EmailComposer composer, SmtpMailer mailer, TimeProvider timeProvider, ILogger<EmailChannel> logger)
    {
        _options = options.Value;
        _composer = composer;
        _mailer = mailer;
        _caller = new ProviderCaller("Email", _options, timeProvider, logger);
    }

    public Protocol Protocol => Protocol.Email;

    public int? MaxConcurrent => _options.MaxConcurrent;

    public Task<DeliveryResult> DeliverAsync(Notification notification, Subscription subscription, RetryPlan? plan, CancellationToken cancellationToken) =>
        SendAsync(from => _composer.Notification(notification, subscription, from), plan, cancellationToken);

    public Task<DeliveryResult> ConfirmAsync(Subscription subscription, CancellationToken cancellationToken) =>
        SendAsync(from => _composer.Confirmation(subscription, from), null, cancellationToken);

    private async Task<DeliveryResult> SendAsync(Func<MailboxAddress, MimeMessage> compose, RetryPlan? plan, CancellationToken cancellationToken)
    {
        if (_options.WhyDisabled is { } disabled)
        {
            // Subscriptions made while email was configured outlive a configuration change.
            return DeliveryResult.NotAttempted(disabled, "channel-off");
        }

        MimeMessage mail;
        try
        {
            // From was checked at start (EmailOptions.Validate) with this same parser.
            mail = compose(MailboxAddress.Parse(_options.From!));
        }
        catch (ParseException)
        {
            // The Frontend checks addresses when subscribing; one stored before it checked as it does now.
            return DeliveryResult.NotAttempted("not a valid email address", "invalid-address",
                new DeliveryRefusal("invalid-address", "The endpoint is not a valid email address."));
        }

        using (mail)
        {
            return await _caller.CallAsync(static (call, token) => call.Mailer.SendAsync(call.Mail, token), (Mailer: _mailer, Mail: mail), plan, cancellationToken);
        }
    }
}
