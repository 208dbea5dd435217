using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.SQS;

namespace Notify.Cdk.Alarms;

public sealed class NotifyAlarmsProps
{
    public required IQueue Queue { get; init; }

    public required IQueue DeadLetters { get; init; }

    public required ApplicationLoadBalancer LoadBalancer { get; init; }

    public required ApplicationTargetGroup FrontendTargets { get; init; }

    /// <value>The default is 300 seconds.</value>
    public int OldestMessageSeconds { get; init; } = 300;

    /// <summary>Subscribed to the alarms' topic when given.</summary>
    public string? Email { get; init; }
}
