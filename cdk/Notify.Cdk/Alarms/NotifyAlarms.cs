using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;

namespace Notify.Cdk.Alarms;

/// <summary>
/// The alarms an operator acts on: a message in the dead-letter queue (a Sender could not handle it),
/// messages waiting too long (Senders too few or stuck), and 5xx answers from the load balancer itself
/// (no healthy Frontend) or from the Frontends. Each notifies the SNS topic when an email is given.
/// </summary>
public sealed class NotifyAlarms : Construct
{
    public NotifyAlarms(Construct scope, string id, NotifyAlarmsProps props) : base(scope, id)
    {
        DeadLetters = new Alarm(this, "DeadLetters", new AlarmProps
        {
            AlarmDescription = "Messages in Notify's dead-letter queue: a Sender failed on them repeatedly.",
            Metric = props.DeadLetters.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = Duration.Minutes(1), Statistic = "Maximum" }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });

        OldestMessage = new Alarm(this, "OldestMessage", new AlarmProps
        {
            AlarmDescription = $"A message has waited in Notify's queue for more than {props.OldestMessageSeconds} s: too few Senders, or Senders stuck.",
            Metric = props.Queue.MetricApproximateAgeOfOldestMessage(new MetricOptions { Period = Duration.Minutes(1), Statistic = "Maximum" }),
            Threshold = props.OldestMessageSeconds,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 3,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });

        LoadBalancer5xx = new Alarm(this, "LoadBalancer5xx", new AlarmProps
        {
            AlarmDescription = "The load balancer answered 5xx itself: no healthy Frontend, or Frontends too slow.",
            Metric = props.LoadBalancer.Metrics.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, new MetricOptions { Period = Duration.Minutes(5), Statistic = "Sum" }),
            Threshold = 10,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });

        Target5xx = new Alarm(this, "Target5xx", new AlarmProps
        {
            AlarmDescription = "The Frontends answered 5xx: see their logs.",
            Metric = props.FrontendTargets.Metrics.HttpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, new MetricOptions { Period = Duration.Minutes(5), Statistic = "Sum" }),
            Threshold = 10,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });

        if (props.Email is { } email)
        {
            Topic = new Topic(this, "Topic", new TopicProps { DisplayName = "Notify alarms" });
            Topic.AddSubscription(new EmailSubscription(email));
            foreach (var alarm in new[] { DeadLetters, OldestMessage, LoadBalancer5xx, Target5xx })
            {
                alarm.AddAlarmAction(new SnsAction(Topic));
                alarm.AddOkAction(new SnsAction(Topic));
            }
        }
    }

    public Alarm DeadLetters { get; }

    public Alarm OldestMessage { get; }

    public Alarm LoadBalancer5xx { get; }

    public Alarm Target5xx { get; }

    public Topic? Topic { get; }
}
