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
    /// Worth another attempt: anything but a success, a refusal and a 4xx other than 408, 425 and 429 (which
    /// will not change by retrying). A 3xx is a failure, retried (redirects are not followed, as in SNS).
    /// </summary>
    public bool IsTransientFailure => Refusal is null && !Succeeded && !IsPermanentFailure;

    /// <summary>A refused address, or a 4xx other than 408 (timeout), 425 (too early) and 429 (too many requests).</summary>
    public bool IsPermanentFailure => Refusal is not null || StatusCode is >= 400 and <= 499 and not (408 or 425 or 429);

    public string Status => Refusal is null ? $"HTTP {StatusCode}" : $"refused: {Refusal}";
}
