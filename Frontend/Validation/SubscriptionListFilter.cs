using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Metadata.Model;

namespace Notify.Frontend.Validation;

/// <summary>
/// The query of <c>GET /v1/subscriptions</c>: <c>topic</c>, <c>protocol</c> and <c>status</c>, each optional.
/// The store keeps pending, confirmed and disabled; <c>opted-out</c> is an SMS number's own record, so that status (and
/// <c>confirmed</c>, which excludes it) is applied to each page after it is read.
/// </summary>
internal sealed record SubscriptionListFilter(SubscriptionQuery Query, SubscriptionState? Status)
{
    public static readonly IReadOnlyList<string> Protocols = ["webhook", "email", "sms"];

    public static readonly IReadOnlyList<string> Statuses = ["pending", "confirmed", "opted-out", "disabled"];

    /// <exception cref="InvalidRequestException">A parameter is not one of its values.</exception>
    public static SubscriptionListFilter Parse(string? topic, string? protocol, string? status)
    {
        var errors = new ValidationErrors();
        if (topic is not null && TopicNameRule.Check(topic) is { } topicProblem)
        {
            errors.Add("topic", topicProblem);
        }

        Protocol? protocolValue = protocol switch
        {
            null => null,
            "webhook" => Protocol.Webhook,
            "email" => Protocol.Email,
            "sms" => Protocol.Sms,
            _ => Invalid<Protocol>(errors, "protocol", protocol, Protocols),
        };

        SubscriptionState? state = status switch
        {
            null => null,
            "pending" => SubscriptionState.Pending,
            "confirmed" => SubscriptionState.Confirmed,
            "opted-out" => SubscriptionState.OptedOut,
            "disabled" => SubscriptionState.Disabled,
            _ => Invalid<SubscriptionState>(errors, "status", status, Statuses),
        };

        if (!errors.IsEmpty)
        {
            throw new InvalidRequestException(errors);
        }

        var query = state switch
        {
            SubscriptionState.Pending => new SubscriptionQuery(topic, protocolValue, SubscriptionStatus.Pending),
            SubscriptionState.Confirmed => new SubscriptionQuery(topic, protocolValue, SubscriptionStatus.Confirmed),
            SubscriptionState.Disabled => new SubscriptionQuery(topic, protocolValue, SubscriptionStatus.Disabled),

            // Only SMS subscriptions can be opted out, and only confirmed ones are (SMS is confirmed when made).
            SubscriptionState.OptedOut => new SubscriptionQuery(topic, protocolValue ?? Protocol.Sms, SubscriptionStatus.Confirmed),
            _ => new SubscriptionQuery(topic, protocolValue),
        };
        return new SubscriptionListFilter(query, state);
    }

    /// <summary>Whether a subscription of the page is shown, once its opt-out is known.</summary>
    public bool Shows(SubscriptionResponse subscription) => Status is not { } wanted || subscription.Status == wanted;

    private static T? Invalid<T>(ValidationErrors errors, string field, string value, IReadOnlyList<string> values)
        where T : struct
    {
        errors.Add(field, $"The {field} must be one of {string.Join(", ", values.Select(v => $"'{v}'"))}; it was '{value}'.");
        return null;
    }
}
