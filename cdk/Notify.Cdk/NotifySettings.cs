using Amazon.CDK;
using Constructs;

namespace Notify.Cdk;

/// <summary>
/// The app's context values (<c>cdk deploy -c name=value</c> or <c>cdk.json</c>), read once with their
/// defaults; cdk/README.md lists them. Only what differs between installations is a context value;
/// what Notify itself requires (Aws mode, no resource creation) is fixed in the stack.
/// </summary>
public sealed record NotifySettings
{
    /// <summary>Prefix of every table, queue and secret name (<c>Notify:Aws:ResourcePrefix</c>).</summary>
    public string ResourcePrefix { get; init; } = "notify-";

    /// <summary>Nodes on the Redis ring: one single-node replication group each.</summary>
    public int RedisNodes { get; init; } = 2;

    public string RedisNodeType { get; init; } = "cache.t4g.micro";

    public int FrontendCount { get; init; } = 2;

    public int FrontendMaxCount { get; init; } = 6;

    public int FrontendCpu { get; init; } = 512;

    public int FrontendMemory { get; init; } = 1024;

    public int SenderCount { get; init; } = 1;

    public int SenderMaxCount { get; init; } = 10;

    public int SenderCpu { get; init; } = 512;

    public int SenderMemory { get; init; } = 1024;

    /// <summary>An ACM certificate for the load balancer: with it, HTTPS on 443 and HTTP redirected there.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>The public URL of the Frontend (the domain pointed at the load balancer); defaults to the load balancer's own name.</summary>
    public string? PublicBaseUrl { get; init; }

    /// <summary>An address subscribed to the alarms' SNS topic; without it the alarms only change state.</summary>
    public string? AlarmEmail { get; init; }

    /// <summary>Seconds the oldest queued message may wait before its alarm fires.</summary>
    public int OldestMessageAlarmSeconds { get; init; } = 300;

    /// <summary>
    /// The Sender's <c>Notify:Sender:MaxReceiveCount</c>: receives of a message whose deliveries failed
    /// unexpectedly before the Sender gives it up.
    /// </summary>
    public int MaxReceiveCount { get; init; } = 5;

    /// <summary>
    /// Receives before SQS moves a message to the dead-letter queue. Well above <see cref="MaxReceiveCount"/>:
    /// a busy Sender hands messages back (no delivery slot within 2 s, no fan-out page permit), a metadata
    /// outage leaves them for their visibility timeout, and a stopping Sender returns them; each of those is
    /// a receive to SQS, so a count as low as the Sender's would move healthy messages aside under load.
    /// The dead-letter queue is the backstop for a message no Sender can finish at all (one that makes it crash).
    /// </summary>
    public int DeadLetterReceiveCount { get; init; } = 100;

    /// <summary>Availability zones of the new VPC (and so of its public and private subnets).</summary>
    public int MaxAzs { get; init; } = 2;

    /// <summary>NAT gateways of the new VPC: the tasks reach AWS's APIs, SMTP, Twilio and webhooks through them.</summary>
    public int NatGateways { get; init; } = 1;

    /// <summary>An existing VPC to deploy into instead of a new one (with its zones and subnets, so synthesis needs no AWS lookup).</summary>
    public ExistingVpc? Vpc { get; init; }

    public string? SmtpHost { get; init; }

    public int SmtpPort { get; init; } = 587;

    public string? SmtpUsername { get; init; }

    public string? EmailFrom { get; init; }

    /// <summary>Full ARN of a Secrets Manager secret (created beforehand) holding the SMTP password.</summary>
    public string? SmtpPasswordSecretArn { get; init; }

    public string? TwilioAccountSid { get; init; }

    public string? TwilioFrom { get; init; }

    /// <summary>Full ARN of a Secrets Manager secret (created beforehand) holding the Twilio auth token.</summary>
    public string? TwilioAuthTokenSecretArn { get; init; }

    /// <summary>Keep tables (and their data) when the stack is deleted; <c>false</c> only for throw-away installations.</summary>
    public bool RetainData { get; init; } = true;

    /// <summary>The repository root: the build context of the Frontend and Sender images.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The settings from <paramref name="scope"/>'s context, each missing one at its default.</summary>
    /// <exception cref="ArgumentException">A value is not of its type or out of range, named in the message.</exception>
    public static NotifySettings From(Construct scope, string repositoryRoot)
    {
        var context = new ContextReader(scope.Node);
        var defaults = new NotifySettings { RepositoryRoot = repositoryRoot };
        var settings = new NotifySettings
        {
            RepositoryRoot = repositoryRoot,
            ResourcePrefix = context.String("prefix") ?? defaults.ResourcePrefix,
            RedisNodes = context.Int("redisNodes", defaults.RedisNodes, 1, 20),
            RedisNodeType = context.String("redisNodeType") ?? defaults.RedisNodeType,
            FrontendCount = context.Int("frontendCount", defaults.FrontendCount, 1, 100),
            FrontendMaxCount = context.Int("frontendMaxCount", defaults.FrontendMaxCount, 1, 100),
            FrontendCpu = context.Int("frontendCpu", defaults.FrontendCpu, 256, 16384),
            FrontendMemory = context.Int("frontendMemory", defaults.FrontendMemory, 512, 122880),
            SenderCount = context.Int("senderCount", defaults.SenderCount, 1, 100),
            SenderMaxCount = context.Int("senderMaxCount", defaults.SenderMaxCount, 1, 100),
            SenderCpu = context.Int("senderCpu", defaults.SenderCpu, 256, 16384),
            SenderMemory = context.Int("senderMemory", defaults.SenderMemory, 512, 122880),
            CertificateArn = context.String("certificateArn"),
            PublicBaseUrl = context.String("publicBaseUrl"),
            AlarmEmail = context.String("alarmEmail"),
            OldestMessageAlarmSeconds = context.Int("oldestMessageAlarmSeconds", defaults.OldestMessageAlarmSeconds, 60, 1209600),
            MaxReceiveCount = context.Int("maxReceiveCount", defaults.MaxReceiveCount, 1, 1000),
            DeadLetterReceiveCount = context.Int("deadLetterReceiveCount", defaults.DeadLetterReceiveCount, 1, 1000),
            MaxAzs = context.Int("maxAzs", defaults.MaxAzs, 2, 6),
            NatGateways = context.Int("natGateways", defaults.NatGateways, 1, 6),
            SmtpHost = context.String("smtpHost"),
            SmtpPort = context.Int("smtpPort", defaults.SmtpPort, 1, 65535),
            SmtpUsername = context.String("smtpUsername"),
            EmailFrom = context.String("emailFrom"),
            SmtpPasswordSecretArn = context.String("smtpPasswordSecretArn"),
            TwilioAccountSid = context.String("twilioAccountSid"),
            TwilioFrom = context.String("twilioFrom"),
            TwilioAuthTokenSecretArn = context.String("twilioAuthTokenSecretArn"),
            RetainData = context.Bool("retainData", defaults.RetainData),
            Vpc = ExistingVpc.From(context),
        };
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        // ECS reads a secret by its complete ARN (with Secrets Manager's random suffix); a name or partial ARN can fail at task start.
        foreach (var (name, arn) in new[] { ("smtpPasswordSecretArn", SmtpPasswordSecretArn), ("twilioAuthTokenSecretArn", TwilioAuthTokenSecretArn) })
        {
            if (arn is not null && !System.Text.RegularExpressions.Regex.IsMatch(arn, @"^arn:[\w-]+:secretsmanager:[\w-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$"))
            {
                throw new ArgumentException($"{name} must be a secret's complete ARN, as 'aws secretsmanager create-secret' prints it (ending in '-' and six characters), not '{arn}'.");
            }
        }

        // Notify's own rule for Notify:Aws:ResourcePrefix (AwsOptions): refused here rather than by every task at start.
        if (!System.Text.RegularExpressions.Regex.IsMatch(ResourcePrefix, "^[A-Za-z0-9_-]{1,40}$"))
        {
            throw new ArgumentException($"prefix may hold 1 to 40 of A-Z a-z 0-9 _ - (what both DynamoDB table names and SQS queue names allow), not '{ResourcePrefix}'.");
        }

        if (DeadLetterReceiveCount <= MaxReceiveCount)
        {
            throw new ArgumentException($"deadLetterReceiveCount ({DeadLetterReceiveCount}) must be above maxReceiveCount ({MaxReceiveCount}): the Sender gives a failing message up first, and handed-back messages count as receives too.");
        }

        // The load balancer's own name is not on the certificate: links to it would fail TLS.
        if (CertificateArn is not null && PublicBaseUrl is null)
        {
            throw new ArgumentException("With certificateArn, set publicBaseUrl to the https:// address of the domain the certificate is for (pointed at the load balancer): links in confirmation and unsubscribe messages use it.");
        }

        if (FrontendMaxCount < FrontendCount || SenderMaxCount < SenderCount)
        {
            throw new ArgumentException("frontendMaxCount and senderMaxCount must not be below frontendCount and senderCount.");
        }

        if (SmtpHost is not null && (EmailFrom is null || (SmtpUsername is not null && SmtpPasswordSecretArn is null)))
        {
            throw new ArgumentException("With smtpHost, set emailFrom, and with smtpUsername the smtpPasswordSecretArn (the full ARN of a Secrets Manager secret holding the password).");
        }

        if (TwilioAccountSid is not null && (TwilioFrom is null || TwilioAuthTokenSecretArn is null))
        {
            throw new ArgumentException("With twilioAccountSid, set twilioFrom and twilioAuthTokenSecretArn (the full ARN of a Secrets Manager secret holding the auth token).");
        }
    }
}
