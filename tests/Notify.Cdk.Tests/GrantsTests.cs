using System.Text.Json;
using Notify.Cdk.Services;
using Notify.Cdk.Tests.Support;

namespace Notify.Cdk.Tests;

/// <summary>Each task role may do only what its process does, on the tables and queue it uses, each named.</summary>
[Collection(SynthesizedCollection.Name)]
public sealed class GrantsTests(SynthesizedStacks stacks)
{
    [Fact]
    public void TaskRoles_NameEveryActionAndResource()
    {
        foreach (var stack in stacks.Both)
        {
            foreach (var service in NotifyProcesses.Names)
            {
                var statements = Statements(stack, service);
                Assert.NotEmpty(statements);
                foreach (var statement in statements)
                {
                    Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
                    // Anywhere: "*", "dynamodb:*", "table/x/index/*", inside a Fn::Join too.
                    Assert.DoesNotContain("*", statement.GetProperty("Action").GetRawText(), StringComparison.Ordinal);
                    Assert.DoesNotContain("*", statement.GetProperty("Resource").GetRawText(), StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void EachService_MayUseExactlyTheTablesAndIndexesItRegisters()
    {
        foreach (var stack in stacks.Both)
        {
            foreach (var service in NotifyProcesses.Names)
            {
                var expected = DataTests.RegisteredTables(stack, service).SelectMany(table =>
                {
                    var id = stack.OfType("AWS::DynamoDB::Table").Single(t => t.Properties.GetProperty("TableName").GetString() == table.Name).Id;
                    var indexes = (table.Definition.LocalSecondaryIndexes ?? []).Select(i => i.IndexName)
                        .Concat((table.Definition.GlobalSecondaryIndexes ?? []).Select(i => i.IndexName));
                    return indexes.Select(index => $"{id}/index/{index}").Append(id);
                }).Order().ToList();

                var granted = Statements(stack, service)
                    .Where(s => Actions(s).Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)))
                    .SelectMany(s => Resources(s)).Order().ToList();

                Assert.NotEmpty(expected);
                Assert.Equal(expected, granted);
            }
        }
    }

    [Fact]
    public void EachService_MayUseTheQueueOnlyAsItDoes()
    {
        foreach (var stack in stacks.Both)
        {
            var queue = stack.LogicalId(stack.Stack.Queue.Messages);
            foreach (var (service, actions) in new[] { ("Frontend", TaskGrants.FrontendQueueActions), ("Sender", TaskGrants.SenderQueueActions) })
            {
                var statement = Assert.Single(Statements(stack, service), s => Actions(s).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal)));
                Assert.Equal(actions.Order(), Actions(statement).Order());
                Assert.Equal([queue], Resources(statement));
            }
        }

        // The Frontend publishes; only the Sender takes messages off the queue.
        Assert.DoesNotContain("sqs:ReceiveMessage", TaskGrants.FrontendQueueActions);
        Assert.DoesNotContain("sqs:DeleteMessage", TaskGrants.FrontendQueueActions);
    }

    [Fact]
    public void NoTaskRole_MayCreateOrChangeResources()
    {
        foreach (var stack in stacks.Both)
        {
            var actions = NotifyProcesses.Names.SelectMany(s => Statements(stack, s)).SelectMany(Actions).ToList();
            Assert.DoesNotContain(actions, a => a.Contains(":Create", StringComparison.Ordinal) || (a.Contains(":Delete", StringComparison.Ordinal) && a is not "dynamodb:DeleteItem" and not "sqs:DeleteMessage"));
            Assert.DoesNotContain(actions, a => a.Contains("TimeToLive", StringComparison.Ordinal) || a.Contains("SetQueueAttributes", StringComparison.Ordinal) || a.Contains("UpdateTable", StringComparison.Ordinal));
        }
    }

    /// <summary>The statements of every policy attached to the service's task role.</summary>
    private static List<JsonElement> Statements(SynthesizedStack stack, string service)
    {
        var taskDefinition = stack.OfType("AWS::ECS::TaskDefinition")
            .Single(t => t.Properties.GetProperty("ContainerDefinitions")[0].GetProperty("Name").GetString() == service).Properties;
        var role = taskDefinition.GetProperty("TaskRoleArn").GetProperty("Fn::GetAtt")[0].GetString();
        Assert.NotEqual(role, taskDefinition.GetProperty("ExecutionRoleArn").GetProperty("Fn::GetAtt")[0].GetString());

        var inline = stack.Resources.GetProperty(role!).GetProperty("Properties");
        Assert.False(inline.TryGetProperty("ManagedPolicyArns", out _), "The task role has managed policies");
        Assert.False(inline.TryGetProperty("Policies", out _), "The task role has inline policies");

        return [.. stack.OfType("AWS::IAM::Policy")
            .Where(p => p.Properties.GetProperty("Roles").EnumerateArray().Any(r => r.GetProperty("Ref").GetString() == role))
            .SelectMany(p => p.Properties.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())];
    }

    private static IEnumerable<string> Actions(JsonElement statement)
    {
        var action = statement.GetProperty("Action");
        return action.ValueKind == JsonValueKind.Array ? action.EnumerateArray().Select(a => a.GetString()!) : [action.GetString()!];
    }

    /// <summary>Each resource as the logical id it refers to, with the suffix joined to it ("Table/index/name").</summary>
    private static IEnumerable<string> Resources(JsonElement statement)
    {
        var resource = statement.GetProperty("Resource");
        return resource.ValueKind == JsonValueKind.Array ? resource.EnumerateArray().Select(Reference) : [Reference(resource)];
    }

    private static string Reference(JsonElement resource)
    {
        if (resource.TryGetProperty("Fn::GetAtt", out var attribute))
        {
            return attribute[0].GetString()!;
        }

        var parts = resource.GetProperty("Fn::Join")[1];
        return Reference(parts[0]) + parts[1].GetString();
    }
}
