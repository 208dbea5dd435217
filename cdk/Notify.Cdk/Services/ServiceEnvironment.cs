using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Notify.Cdk.Secrets;

namespace Notify.Cdk.Services;

/// <summary>
/// The <c>Notify__…</c> settings of the two services: plain values as environment variables, every
/// secret as an ECS secret read from Secrets Manager when the task starts (never in the task definition).
/// </summary>
public static class ServiceEnvironment
{
    /// <summary>Where the containers listen (the images' ASPNETCORE_HTTP_PORTS, said again here because the load balancer depends on it).</summary>
    public const int ContainerPort = 8080;

    public static Dictionary<string, string> Frontend(NotifyServicesProps props, string publicBaseUrl)
    {
        var environment = Common(props, publicBaseUrl);
        // The Senders are services of their own; a Frontend only publishes.
        environment["Notify__Sender__InProcess"] = "false";
        return environment;
    }

    public static Dictionary<string, string> Sender(NotifyServicesProps props, string publicBaseUrl)
    {
        var environment = Common(props, publicBaseUrl);
        // The same count as the queue's redrive policy: the Sender gives up where SQS would move the message.
        environment["Notify__Sender__MaxReceiveCount"] = props.Settings.MaxReceiveCount.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    public static Dictionary<string, Amazon.CDK.AWS.ECS.Secret> FrontendSecrets(NotifySecrets secrets)
    {
        var result = CommonSecrets(secrets);
        result["Notify__Auth__AdminKey"] = Amazon.CDK.AWS.ECS.Secret.FromSecretsManager(secrets.AdminKey);
        return result;
    }

    public static Dictionary<string, Amazon.CDK.AWS.ECS.Secret> SenderSecrets(NotifySecrets secrets) => CommonSecrets(secrets);

    private static Dictionary<string, string> Common(NotifyServicesProps props, string publicBaseUrl)
    {
        var settings = props.Settings;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = ContainerPort.ToString(CultureInfo.InvariantCulture),
            ["Notify__Mode"] = "Aws",
            ["Notify__Aws__Region"] = Aws.REGION,
            ["Notify__Aws__ResourcePrefix"] = settings.ResourcePrefix,
            // The stack owns the tables and the queue; the task roles may not create or change them.
            ["Notify__Aws__CreateResources"] = "false",
            ["Notify__PublicBaseUrl"] = publicBaseUrl,
            ["Notify__Redis__Nodes"] = props.RedisNodes,
            ["Notify__Redis__Ssl"] = "true",
        };

        if (settings.SmtpHost is { } host)
        {
            environment["Notify__Email__SmtpHost"] = host;
            environment["Notify__Email__SmtpPort"] = settings.SmtpPort.ToString(CultureInfo.InvariantCulture);
            environment["Notify__Email__From"] = settings.EmailFrom!;
            if (settings.SmtpUsername is { } user)
            {
                environment["Notify__Email__Username"] = user;
            }
        }

        if (settings.TwilioAccountSid is { } sid)
        {
            environment["Notify__Sms__Twilio__AccountSid"] = sid;
            environment["Notify__Sms__Twilio__From"] = settings.TwilioFrom!;
        }

        return environment;
    }

    private static Dictionary<string, Amazon.CDK.AWS.ECS.Secret> CommonSecrets(NotifySecrets secrets)
    {
        var result = new Dictionary<string, Amazon.CDK.AWS.ECS.Secret>
        {
            ["Notify__Redis__Password"] = Amazon.CDK.AWS.ECS.Secret.FromSecretsManager(secrets.RedisAuthToken),
            ["Notify__Links__TokenKey"] = Amazon.CDK.AWS.ECS.Secret.FromSecretsManager(secrets.LinkTokenKey.Secret),
        };
        if (secrets.SmtpPassword is { } smtp)
        {
            result["Notify__Email__Password"] = Amazon.CDK.AWS.ECS.Secret.FromSecretsManager(smtp);
        }

        // The Sender sends with it; the Frontend checks the signatures of Twilio's inbound-SMS requests with it.
        if (secrets.TwilioAuthToken is { } twilio)
        {
            result["Notify__Sms__Twilio__AuthToken"] = Amazon.CDK.AWS.ECS.Secret.FromSecretsManager(twilio);
        }

        return result;
    }
}
