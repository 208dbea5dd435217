using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Constructs;
using Notify.Cdk.Alarms;
using Notify.Cdk.Cache;
using Notify.Cdk.Data;
using Notify.Cdk.Queue;
using Notify.Cdk.Secrets;
using Notify.Cdk.Services;

namespace Notify.Cdk;

/// <summary>Notify's distributed (Aws) mode in one stack: tables, queue, Redis ring, secrets, services, alarms.</summary>
public sealed class NotifyStack : Stack
{
    public NotifyStack(Construct scope, string id, NotifySettings settings, IStackProps? props = null) : base(scope, id, props)
    {
        Settings = settings;
        var vpc = settings.Vpc is { } existing
            ? Vpc.FromVpcAttributes(this, "Vpc", new VpcAttributes
            {
                VpcId = existing.VpcId,
                AvailabilityZones = [.. existing.AvailabilityZones],
                PublicSubnetIds = [.. existing.PublicSubnetIds],
                PrivateSubnetIds = [.. existing.PrivateSubnetIds],
            })
            : new Vpc(this, "Vpc", new VpcProps { MaxAzs = settings.MaxAzs, NatGateways = settings.NatGateways });
        var servicesSecurityGroup = new SecurityGroup(this, "ServicesSecurityGroup", new SecurityGroupProps
        {
            Vpc = vpc,
            Description = "Notify's Frontend and Sender tasks",
            // Deliveries go to any SMTP server, Twilio and webhook endpoint.
            AllowAllOutbound = true,
        });

        Data = new NotifyData(this, "Data", new NotifyDataProps { ResourcePrefix = settings.ResourcePrefix, Retain = settings.RetainData });
        Queue = new NotifyQueue(this, "Queue", new NotifyQueueProps { ResourcePrefix = settings.ResourcePrefix, DeadLetterReceiveCount = settings.DeadLetterReceiveCount });
        Secrets = new NotifySecrets(this, "Secrets", new NotifySecretsProps
        {
            ResourcePrefix = settings.ResourcePrefix,
            RetainLinkTokenKey = settings.RetainData,
            SmtpPasswordSecretArn = settings.SmtpPasswordSecretArn,
            TwilioAuthTokenSecretArn = settings.TwilioAuthTokenSecretArn,
        });
        Cache = new RedisRing(this, "Cache", new RedisRingProps
        {
            ResourcePrefix = settings.ResourcePrefix,
            Vpc = vpc,
            Clients = servicesSecurityGroup,
            AuthToken = Secrets.RedisAuthToken,
            NodeCount = settings.RedisNodes,
            NodeType = settings.RedisNodeType,
        });
        Services = new NotifyServices(this, "Services", new NotifyServicesProps
        {
            Settings = settings,
            Vpc = vpc,
            SecurityGroup = servicesSecurityGroup,
            Tables = [.. Data.Tables.Select(t => new TableGrant(t.Value, [.. t.Key.LocalIndexes.Concat(t.Key.GlobalIndexes).Select(i => i.Name)]))],
            Queue = Queue.Messages,
            Secrets = Secrets,
            RedisNodes = Cache.NodeList,
        });
        Alarms = new NotifyAlarms(this, "Alarms", new NotifyAlarmsProps
        {
            Queue = Queue.Messages,
            DeadLetters = Queue.DeadLetters,
            LoadBalancer = Services.LoadBalancer,
            FrontendTargets = Services.TargetGroup,
            OldestMessageSeconds = settings.OldestMessageAlarmSeconds,
            Email = settings.AlarmEmail,
        });

        _ = new CfnOutput(this, "LoadBalancerDnsName", new CfnOutputProps { Value = Services.LoadBalancer.LoadBalancerDnsName });
        _ = new CfnOutput(this, "AdminKeySecret", new CfnOutputProps { Value = Secrets.AdminKey.SecretName });
    }

    public NotifySettings Settings { get; }

    public NotifyData Data { get; }

    public NotifyQueue Queue { get; }

    public NotifySecrets Secrets { get; }

    public RedisRing Cache { get; }

    public NotifyServices Services { get; }

    public NotifyAlarms Alarms { get; }
}
