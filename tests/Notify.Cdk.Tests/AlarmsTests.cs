using System.Text.Json;
using Notify.Cdk.Tests.Support;

namespace Notify.Cdk.Tests;

/// <summary>Alarms on the dead-letter queue, the oldest message's age and the load balancer's 5xx answers, sent to the topic when an address is given.</summary>
[Collection(SynthesizedCollection.Name)]
public sealed class AlarmsTests(SynthesizedStacks stacks)
{
    [Fact]
    public void DeadLetterQueue_AlarmsOnItsFirstMessage()
    {
        foreach (var stack in stacks.Both)
        {
            var alarm = Alarm(stack, stack.Stack.Alarms.DeadLetters);
            Assert.Equal("ApproximateNumberOfMessagesVisible", alarm.GetProperty("MetricName").GetString());
            Assert.Equal(stack.LogicalId(stack.Stack.Queue.DeadLetters), Dimension(alarm, "QueueName"));
            Assert.Equal(0, alarm.GetProperty("Threshold").GetDouble());
            Assert.Equal("GreaterThanThreshold", alarm.GetProperty("ComparisonOperator").GetString());
        }
    }

    [Fact]
    public void Queue_AlarmsWhenItsOldestMessageWaitsTooLong()
    {
        foreach (var (stack, seconds) in new[] { (stacks.Plain, 300), (stacks.Full, 600) })
        {
            var alarm = Alarm(stack, stack.Stack.Alarms.OldestMessage);
            Assert.Equal("ApproximateAgeOfOldestMessage", alarm.GetProperty("MetricName").GetString());
            Assert.Equal(stack.LogicalId(stack.Stack.Queue.Messages), Dimension(alarm, "QueueName"));
            Assert.Equal(seconds, alarm.GetProperty("Threshold").GetDouble());
        }
    }

    [Fact]
    public void LoadBalancer_AlarmsOnItsOwnAndTheFrontends5xx()
    {
        var stack = stacks.Plain;
        var elb = Alarm(stack, stack.Stack.Alarms.LoadBalancer5xx);
        Assert.Equal("AWS/ApplicationELB", elb.GetProperty("Namespace").GetString());
        Assert.Equal("HTTPCode_ELB_5XX_Count", elb.GetProperty("MetricName").GetString());
        var target = Alarm(stack, stack.Stack.Alarms.Target5xx);
        Assert.Equal("HTTPCode_Target_5XX_Count", target.GetProperty("MetricName").GetString());
        Assert.Contains(stack.LogicalId(stack.Stack.Services.TargetGroup), target.GetProperty("Dimensions").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Alarms_NotifyTheTopic_OnlyWhenAnAddressIsGiven()
    {
        stacks.Plain.Template.ResourceCountIs("AWS::SNS::Topic", 0);
        var full = stacks.Full;
        var topic = full.LogicalId(full.Stack.Alarms.Topic!);
        full.Template.HasResourceProperties("AWS::SNS::Subscription", new Dictionary<string, object>
        {
            ["Protocol"] = "email",
            ["Endpoint"] = "ops@example.com",
            ["TopicArn"] = new Dictionary<string, object> { ["Ref"] = topic },
        });

        foreach (var stack in stacks.Both)
        {
            foreach (var alarm in new[] { stack.Stack.Alarms.DeadLetters, stack.Stack.Alarms.OldestMessage, stack.Stack.Alarms.LoadBalancer5xx, stack.Stack.Alarms.Target5xx })
            {
                var properties = Alarm(stack, alarm);
                if (stack == full)
                {
                    Assert.Equal(topic, properties.GetProperty("AlarmActions")[0].GetProperty("Ref").GetString());
                }
                else
                {
                    Assert.False(properties.TryGetProperty("AlarmActions", out _));
                }
            }
        }
    }

    private static JsonElement Alarm(SynthesizedStack stack, Constructs.IConstruct alarm) =>
        stack.Resources.GetProperty(stack.LogicalId(alarm)).GetProperty("Properties");

    private static string? Dimension(JsonElement alarm, string name) =>
        alarm.GetProperty("Dimensions").EnumerateArray().Single(d => d.GetProperty("Name").GetString() == name)
            .GetProperty("Value").GetProperty("Fn::GetAtt")[0].GetString();
}
