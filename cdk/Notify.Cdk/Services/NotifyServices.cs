using Amazon.CDK;
using Amazon.CDK.AWS.ApplicationAutoScaling;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace Notify.Cdk.Services;

/// <summary>
/// The ECS cluster and its two Fargate services: the Frontend behind an internet-facing Application Load
/// Balancer (HTTPS when a certificate is given, HTTP then only redirecting), scaling on CPU; the Sender
/// scaling on the queue's backlog. Each has its own task role with its grants (<see cref="TaskGrants"/>).
/// </summary>
public sealed class NotifyServices : Construct
{
    /// <summary>What the images are built without: outputs, dependencies and local state.</summary>
    public static IReadOnlyList<string> ImageExcludes { get; } =
        ["**/bin", "**/obj", "**/node_modules", ".git", "**/cdk.out", "**/.venv", "**/data", "**/*.db", "**/*.db-wal", "**/*.db-shm", "**/TestResults"];

    public NotifyServices(Construct scope, string id, NotifyServicesProps props) : base(scope, id)
    {
        var settings = props.Settings;
        var cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = props.Vpc, ContainerInsights = true });

        LoadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = props.Vpc,
            InternetFacing = true,
        });
        var https = settings.CertificateArn is not null;
        var publicBaseUrl = settings.PublicBaseUrl ?? $"{(https ? "https" : "http")}://{LoadBalancer.LoadBalancerDnsName}";

        Frontend = CreateService(cluster, props, new ServiceShape(
            "Frontend", "Frontend/Dockerfile", settings.FrontendCount, settings.FrontendCpu, settings.FrontendMemory,
            ServiceEnvironment.Frontend(props, publicBaseUrl), ServiceEnvironment.FrontendSecrets(props.Secrets)));
        TaskGrants.GrantTables(Frontend.TaskDefinition.TaskRole, props.Tables);
        TaskGrants.GrantQueue(Frontend.TaskDefinition.TaskRole, props.Queue, TaskGrants.FrontendQueueActions);

        Sender = CreateService(cluster, props, new ServiceShape(
            "Sender", "Sender/Dockerfile", settings.SenderCount, settings.SenderCpu, settings.SenderMemory,
            ServiceEnvironment.Sender(props, publicBaseUrl), ServiceEnvironment.SenderSecrets(props.Secrets), HealthzProbe));
        TaskGrants.GrantTables(Sender.TaskDefinition.TaskRole, props.Tables);
        TaskGrants.GrantQueue(Sender.TaskDefinition.TaskRole, props.Queue, TaskGrants.SenderQueueActions);

        TargetGroup = AddListeners(settings);
        ScaleFrontend(settings);
        ScaleSender(props);
    }

    public ApplicationLoadBalancer LoadBalancer { get; }

    public ApplicationTargetGroup TargetGroup { get; }

    public FargateService Frontend { get; }

    public FargateService Sender { get; }

    private sealed record ServiceShape(
        string Name,
        string Dockerfile,
        int Count,
        int Cpu,
        int Memory,
        Dictionary<string, string> Environment,
        Dictionary<string, Amazon.CDK.AWS.ECS.Secret> Secrets,
        Amazon.CDK.AWS.ECS.HealthCheck? HealthCheck = null);

    /// <summary>
    /// ECS ignores an image's HEALTHCHECK: the same probe as the Dockerfiles', one GET of /healthz through
    /// bash's /dev/tcp (the runtime image has no curl), so a Sender that stops answering is replaced.
    /// </summary>
    private static Amazon.CDK.AWS.ECS.HealthCheck HealthzProbe { get; } = new()
    {
        Command =
        [
            "CMD",
            "bash",
            "-c",
            $"exec 3<>/dev/tcp/127.0.0.1/{ServiceEnvironment.ContainerPort} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS= read -r -t 4 status <&3 && [[ $status == HTTP/*' 200 '* ]]",
        ],
        Interval = Duration.Seconds(30),
        Timeout = Duration.Seconds(5),
        StartPeriod = Duration.Seconds(30),
        Retries = 3,
    };

    private FargateService CreateService(Cluster cluster, NotifyServicesProps props, ServiceShape shape)
    {
        var task = new FargateTaskDefinition(this, shape.Name + "Task", new FargateTaskDefinitionProps
        {
            Cpu = shape.Cpu,
            MemoryLimitMiB = shape.Memory,
        });
        var logs = new LogGroup(this, shape.Name + "Logs", new LogGroupProps
        {
            Retention = RetentionDays.ONE_MONTH,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        task.AddContainer(shape.Name, new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromAsset(props.Settings.RepositoryRoot, new AssetImageProps
            {
                File = shape.Dockerfile,
                Exclude = [.. ImageExcludes],
                // Fargate runs the task definitions' default, x86-64: built so on any machine (an ARM laptop too).
                Platform = Amazon.CDK.AWS.Ecr.Assets.Platform_.LINUX_AMD64,
            }),
            Environment = shape.Environment,
            Secrets = shape.Secrets,
            PortMappings = [new PortMapping { ContainerPort = ServiceEnvironment.ContainerPort }],
            HealthCheck = shape.HealthCheck,
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { StreamPrefix = shape.Name.ToLowerInvariant(), LogGroup = logs }),
        });

        var service = new FargateService(this, shape.Name, new FargateServiceProps
        {
            Cluster = cluster,
            TaskDefinition = task,
            DesiredCount = shape.Count,
            SecurityGroups = [props.SecurityGroup],
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
        });
        // The link token key is written by a function after its secret exists; no task may start before.
        service.Node.AddDependency(props.Secrets.LinkTokenKey.Written);
        return service;
    }

    private ApplicationTargetGroup AddListeners(NotifySettings settings)
    {
        var targets = new ApplicationTargetGroup(this, "FrontendTargets", new ApplicationTargetGroupProps
        {
            Vpc = Frontend.Cluster.Vpc,
            Port = ServiceEnvironment.ContainerPort,
            Protocol = ApplicationProtocol.HTTP,
            Targets = [Frontend],
            // /healthz answers while the process runs; readiness (/readyz) would take every Frontend out when DynamoDB hiccups.
            HealthCheck = new Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck { Path = "/healthz", HealthyHttpCodes = "200" },
            DeregistrationDelay = Duration.Seconds(30),
        });

        if (settings.CertificateArn is { } certificateArn)
        {
            LoadBalancer.AddListener("Https", new BaseApplicationListenerProps
            {
                Port = 443,
                Protocol = ApplicationProtocol.HTTPS,
                Certificates = [ListenerCertificate.FromArn(certificateArn)],
                SslPolicy = SslPolicy.RECOMMENDED_TLS,
                DefaultTargetGroups = [targets],
            });
            LoadBalancer.AddListener("Http", new BaseApplicationListenerProps
            {
                Port = 80,
                Protocol = ApplicationProtocol.HTTP,
                DefaultAction = ListenerAction.Redirect(new RedirectOptions { Protocol = "HTTPS", Port = "443", Permanent = true }),
            });
        }
        else
        {
            LoadBalancer.AddListener("Http", new BaseApplicationListenerProps
            {
                Port = 80,
                Protocol = ApplicationProtocol.HTTP,
                DefaultTargetGroups = [targets],
            });
        }

        return targets;
    }

    private void ScaleFrontend(NotifySettings settings)
    {
        var scaling = Frontend.AutoScaleTaskCount(new EnableScalingProps { MinCapacity = settings.FrontendCount, MaxCapacity = settings.FrontendMaxCount });
        scaling.ScaleOnCpuUtilization("Cpu", new CpuUtilizationScalingProps { TargetUtilizationPercent = 60 });
    }

    /// <summary>One more Sender from 100 waiting messages, three more from 1000; one fewer when none wait.</summary>
    private void ScaleSender(NotifyServicesProps props)
    {
        var scaling = Sender.AutoScaleTaskCount(new EnableScalingProps { MinCapacity = props.Settings.SenderCount, MaxCapacity = props.Settings.SenderMaxCount });
        scaling.ScaleOnMetric("QueueBacklog", new BasicStepScalingPolicyProps
        {
            Metric = props.Queue.MetricApproximateNumberOfMessagesVisible(new Amazon.CDK.AWS.CloudWatch.MetricOptions { Period = Duration.Minutes(1) }),
            AdjustmentType = AdjustmentType.CHANGE_IN_CAPACITY,
            ScalingSteps =
            [
                new ScalingInterval { Upper = 0, Change = -1 },
                new ScalingInterval { Lower = 100, Change = +1 },
                new ScalingInterval { Lower = 1000, Change = +3 },
            ],
            Cooldown = Duration.Minutes(2),
        });
    }
}
