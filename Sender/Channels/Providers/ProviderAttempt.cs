namespace Notify.Sender.Channels.Providers;

/// <summary>How one call to an email or SMS provider ended.</summary>
internal enum ProviderOutcome
{
    /// <summary>The provider accepted the message.</summary>
    Accepted,

    /// <summary>A failure a later call may not meet (throttling, a 5xx, a lost connection): retried.</summary>
    Transient,

    /// <summary>The provider refused this recipient or request for good: not retried.</summary>
    Permanent,
}

/// <summary>One call's result, as the retry policy needs it.</summary>
/// <param name="Status">For logs: "HTTP 201", "twilio:21211 HTTP 400", "smtp:451"; never a body, number or address.</param>
/// <param name="RetryAfter">The wait the provider asked for before the next call, if it said.</param>
/// <param name="Refusal">Set with <see cref="ProviderOutcome.Permanent"/> when the recipient was refused (not this server's configuration).</param>
internal readonly record struct ProviderAttempt(ProviderOutcome Outcome, string Status, TimeSpan? RetryAfter = null, DeliveryRefusal? Refusal = null)
{
    public static ProviderAttempt Accepted(string status) => new(ProviderOutcome.Accepted, status);

    public static ProviderAttempt Transient(string status, TimeSpan? retryAfter = null) => new(ProviderOutcome.Transient, status, retryAfter);

    public static ProviderAttempt Permanent(string status, DeliveryRefusal? refusal) => new(ProviderOutcome.Permanent, status, Refusal: refusal);
}
