namespace Notify.Sender.Channels.Webhooks;

/// <summary>
/// What one attempt got back: only the status and a Retry-After, read from the headers; the response
/// body is never read. A refusal (the endpoint resolves to a forbidden address) carries its reason.
/// </summary>
internal readonly record struct WebhookAttempt(int StatusCode, TimeSpan? RetryAfter, string? Refusal)
{
    public static WebhookAttempt Refused(string reason) => new(0, null, reason);

    public bool Succeeded => Refusal is null && StatusCode is >= 200 and <= 299;

    /// <summary>
    /// Worth another attempt: server errors, 408 and 429. Other 4xx will not change by retrying, and a
    /// 3xx is a failure (redirects are not followed, as in SNS).
    /// </summary>
    public bool IsTransientFailure => Refusal is null && StatusCode is >= 500 or 408 or 429;

    public string Status => Refusal is null ? $"HTTP {StatusCode}" : $"refused: {Refusal}";
}
