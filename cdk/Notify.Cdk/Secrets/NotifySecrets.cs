using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace Notify.Cdk.Secrets;

/// <summary>
/// The secrets the services read, all in Secrets Manager and given to the containers as ECS secrets:
/// generated here (the admin key, the Redis auth token, the link token key), or created beforehand by
/// the operator and only referred to here by ARN (the SMTP password, the Twilio auth token), so no placeholder is
/// ever used for a real provider and the values never pass through the template.
/// </summary>
public sealed class NotifySecrets : Construct
{
    public NotifySecrets(Construct scope, string id, NotifySecretsProps props) : base(scope, id)
    {
        AdminKey = new Secret(this, "AdminKey", new SecretProps
        {
            SecretName = props.ResourcePrefix + "admin-key",
            Description = "Notify's bootstrap admin API key (Notify:Auth:AdminKey)",
            GenerateSecretString = new SecretStringGenerator { PasswordLength = 48, ExcludePunctuation = true },
        });

        // ElastiCache takes 16 to 128 printable characters without @, " and /: letters and digits only.
        RedisAuthToken = new Secret(this, "RedisAuthToken", new SecretProps
        {
            SecretName = props.ResourcePrefix + "redis-auth-token",
            Description = "Auth token of Notify's Redis ring (Notify:Redis:Password)",
            GenerateSecretString = new SecretStringGenerator { PasswordLength = 64, ExcludePunctuation = true },
        });

        LinkTokenKey = new LinkTokenKey(this, "LinkTokenKey", props.ResourcePrefix + "link-token-key", props.RetainLinkTokenKey);

        SmtpPassword = props.SmtpPasswordSecretArn is { } smtp ? Secret.FromSecretCompleteArn(this, "SmtpPassword", smtp) : null;
        TwilioAuthToken = props.TwilioAuthTokenSecretArn is { } twilio ? Secret.FromSecretCompleteArn(this, "TwilioAuthToken", twilio) : null;
    }

    public Secret AdminKey { get; }

    public Secret RedisAuthToken { get; }

    public LinkTokenKey LinkTokenKey { get; }

    public ISecret? SmtpPassword { get; }

    public ISecret? TwilioAuthToken { get; }
}
