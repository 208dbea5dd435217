namespace Notify.Cdk.Tests.Support;

/// <summary>
/// The two stacks every test reads, synthesized once per run (jsii starts Node; each synthesis takes
/// seconds): <see cref="Plain"/> with the defaults only (a new VPC), <see cref="Full"/> in an existing VPC,
/// with a certificate, email, SMS, an alarm address and non-default counts, so each default and each option is seen in a template.
/// </summary>
public sealed class SynthesizedStacks : IDisposable
{
    public const string CertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";

    public const string SmtpPasswordArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/smtp-password-AbC123";

    public const string TwilioAuthTokenArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/twilio-auth-token-XyZ789";

    public SynthesizedStacks()
    {
        Plain = new SynthesizedStack(new Dictionary<string, object>());
        Full = new SynthesizedStack(new Dictionary<string, object>
        {
            ["prefix"] = "acme-",
            ["vpcId"] = "vpc-0123456789abcdef0",
            ["availabilityZones"] = "eu-west-1a,eu-west-1b",
            ["publicSubnetIds"] = "subnet-public-a,subnet-public-b",
            ["privateSubnetIds"] = "subnet-private-a,subnet-private-b",
            ["redisNodes"] = "3",
            ["maxReceiveCount"] = "7",
            ["deadLetterReceiveCount"] = "70",
            ["certificateArn"] = CertificateArn,
            ["publicBaseUrl"] = "https://notify.example.com",
            ["alarmEmail"] = "ops@example.com",
            ["oldestMessageAlarmSeconds"] = "600",
            ["senderCount"] = "2",
            ["senderMaxCount"] = "8",
            ["smtpHost"] = "smtp.example.com",
            ["smtpUsername"] = "notify",
            ["emailFrom"] = "Notify <notify@example.com>",
            ["smtpPasswordSecretArn"] = SmtpPasswordArn,
            ["twilioAccountSid"] = "AC00000000000000000000000000000000",
            ["twilioFrom"] = "+15550000000",
            ["twilioAuthTokenSecretArn"] = TwilioAuthTokenArn,
        });
    }

    public SynthesizedStack Plain { get; }

    public SynthesizedStack Full { get; }

    public IEnumerable<SynthesizedStack> Both => [Plain, Full];

    public void Dispose()
    {
        Plain.Dispose();
        Full.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SynthesizedCollection : ICollectionFixture<SynthesizedStacks>
{
    public const string Name = "Synthesized stacks";
}
