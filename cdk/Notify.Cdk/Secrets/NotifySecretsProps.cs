namespace Notify.Cdk.Secrets;

public sealed class NotifySecretsProps
{
    public required string ResourcePrefix { get; init; }

    /// <summary>Keep the link token key when the stack is deleted, as the tables are kept (<c>retainData</c>).</summary>
    public required bool RetainLinkTokenKey { get; init; }

    /// <summary>Complete ARN of an existing secret with the SMTP password; none when email needs no login or is off.</summary>
    public string? SmtpPasswordSecretArn { get; init; }

    /// <summary>Complete ARN of an existing secret with the Twilio auth token; none when SMS is off.</summary>
    public string? TwilioAuthTokenSecretArn { get; init; }
}
