using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Cdk.Tests.Support;
using Notify.Sender;
using Notify.Shared.Configuration;
using Notify.Shared.Queue.Sqs;

namespace Notify.Cdk.Tests;

/// <summary>The queue is the one Notify looks up, with the attributes Notify would create it with, and its dead-letter queue's receive count is the Sender's.</summary>
[Collection(SynthesizedCollection.Name)]
public sealed class QueueTests(SynthesizedStacks stacks)
{
    [Fact]
    public void Queue_HasNotifysNameAndAttributes()
    {
        foreach (var stack in stacks.Both)
        {
            using var sender = NotifyProcesses.Build(NotifyProcesses.Sender(stack));
            var expected = SqsQueueSettings.From(sender.GetRequiredService<IOptions<AwsOptions>>().Value);
            var queue = Messages(stack);

            Assert.Equal(expected.QueueName, queue.GetProperty("QueueName").GetString());
            foreach (var (name, value) in SqsQueueSettings.QueueAttributes)
            {
                Assert.True(queue.TryGetProperty(name, out var declared), $"The queue does not declare {name}");
                Assert.Equal(value, declared.ValueKind == JsonValueKind.String ? declared.GetString() : declared.GetRawText());
            }
        }
    }

    /// <summary>
    /// SQS moves a message aside only long after the Sender would have given it up: hand-backs under load
    /// and waits through a metadata outage are receives too, and must never reach the dead-letter queue.
    /// </summary>
    [Fact]
    public void DeadLetterQueue_TakesMessagesOnlyWellAfterTheSendersMaxReceiveCount()
    {
        foreach (var stack in stacks.Both)
        {
            using var sender = NotifyProcesses.Build(NotifyProcesses.Sender(stack));
            var maxReceiveCount = sender.GetRequiredService<IOptions<SenderOptions>>().Value.MaxReceiveCount;
            var redrive = Messages(stack).GetProperty("RedrivePolicy");

            Assert.Equal(stack.Settings.MaxReceiveCount, maxReceiveCount);
            Assert.Equal(stack.Settings.DeadLetterReceiveCount, redrive.GetProperty("maxReceiveCount").GetInt32());
            Assert.True(redrive.GetProperty("maxReceiveCount").GetInt32() >= 10 * maxReceiveCount, $"the dead-letter queue takes messages after {redrive.GetProperty("maxReceiveCount")} receives, the Sender gives up after {maxReceiveCount}");
            Assert.Equal(stack.LogicalId(stack.Stack.Queue.DeadLetters), redrive.GetProperty("deadLetterTargetArn").GetProperty("Fn::GetAtt")[0].GetString());
        }

        // Not the defaults by accident: the context values reach the queue and the Sender.
        Assert.Equal(7, stacks.Full.Settings.MaxReceiveCount);
        Assert.Equal(70, stacks.Full.Settings.DeadLetterReceiveCount);
        Assert.Equal(100, stacks.Plain.Settings.DeadLetterReceiveCount);
    }

    [Fact]
    public void BothQueues_AreEncrypted()
    {
        foreach (var stack in stacks.Both)
        {
            var queues = stack.OfType("AWS::SQS::Queue");
            Assert.Equal(2, queues.Count);
            Assert.All(queues, q => Assert.True(q.Properties.GetProperty("SqsManagedSseEnabled").GetBoolean()));
        }
    }

    private static JsonElement Messages(SynthesizedStack stack) =>
        stack.Resources.GetProperty(stack.LogicalId(stack.Stack.Queue.Messages)).GetProperty("Properties");
}
