namespace Notify.Metadata.Model;

/// <summary>Why deliveries to a subscription fail for good: a provider's permanent refusal (Twilio error code, SMTP status).</summary>
/// <param name="Code">The provider's code for the refusal, as the provider writes it (e.g. <c>21610</c>, <c>5.1.1</c>).</param>
/// <param name="Detail">The provider's explanation, for whoever investigates the subscription.</param>
/// <param name="At">When the refusal was received.</param>
public sealed record DeliveryError(string Code, string Detail, DateTimeOffset At);
