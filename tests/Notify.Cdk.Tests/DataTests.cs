using System.Text.Json;
using Amazon.CDK.Assertions;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.DependencyInjection;
using Notify.Cdk.Tests.Support;
using Notify.Metadata.Store.DynamoDb;

namespace Notify.Cdk.Tests;

/// <summary>The tables are those Notify's Frontend and Sender check at start, declared as Notify declares them.</summary>
[Collection(SynthesizedCollection.Name)]
public sealed class DataTests(SynthesizedStacks stacks)
{
    public static IReadOnlyList<DynamoDbTable> RegisteredTables(SynthesizedStack stack, string service)
    {
        using var services = NotifyProcesses.Build(service == "Frontend" ? NotifyProcesses.Frontend(stack) : NotifyProcesses.Sender(stack));
        return [.. services.GetServices<DynamoDbTable>().DistinctBy(t => t.Name)];
    }

    [Fact]
    public void Tables_AreExactlyThoseTheServicesUse()
    {
        foreach (var stack in stacks.Both)
        {
            var used = RegisteredTables(stack, "Frontend").Concat(RegisteredTables(stack, "Sender")).Select(t => t.Name).Distinct().Order();
            var declared = stack.OfType("AWS::DynamoDB::Table").Select(t => t.Properties.GetProperty("TableName").GetString()).Order();
            Assert.Equal(used, declared);
        }

        // The prefix is the context value's.
        Assert.All(stacks.Full.OfType("AWS::DynamoDB::Table"), t => Assert.StartsWith("acme-", t.Properties.GetProperty("TableName").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void EachTable_HasNotifysKeysIndexesBillingAndTtl()
    {
        var tables = RegisteredTables(stacks.Full, "Frontend").Concat(RegisteredTables(stacks.Full, "Sender")).DistinctBy(t => t.Name).ToList();
        Assert.NotEmpty(tables);
        foreach (var table in tables)
        {
            var declared = stacks.Full.OfType("AWS::DynamoDB::Table").Single(t => t.Properties.GetProperty("TableName").GetString() == table.Name).Properties;
            var expected = table.Definition;

            Assert.Equal(expected.BillingMode.Value, declared.GetProperty("BillingMode").GetString());
            Assert.Equal(Keys(expected.KeySchema), Keys(declared.GetProperty("KeySchema")));
            Assert.Equal(
                expected.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType.Value}").Order(),
                declared.GetProperty("AttributeDefinitions").EnumerateArray().Select(a => $"{a.GetProperty("AttributeName").GetString()}:{a.GetProperty("AttributeType").GetString()}").Order());
            Assert.Equal(
                (expected.LocalSecondaryIndexes ?? []).Select(i => Index(i.IndexName, i.KeySchema, i.Projection)).Order(),
                Indexes(declared, "LocalSecondaryIndexes"));
            Assert.Equal(
                (expected.GlobalSecondaryIndexes ?? []).Select(i => Index(i.IndexName, i.KeySchema, i.Projection)).Order(),
                Indexes(declared, "GlobalSecondaryIndexes"));

            var ttl = declared.GetProperty("TimeToLiveSpecification");
            Assert.Equal(table.TimeToLiveAttribute, ttl.GetProperty("AttributeName").GetString());
            Assert.True(ttl.GetProperty("Enabled").GetBoolean());
        }
    }

    [Fact]
    public void Tables_AreRecoverableEncryptedAndRetained()
    {
        foreach (var stack in stacks.Both)
        {
            stack.Template.AllResources("AWS::DynamoDB::Table", new Dictionary<string, object>
            {
                ["DeletionPolicy"] = "Retain",
                ["UpdateReplacePolicy"] = "Retain",
                ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
                    ["SSESpecification"] = Match.ObjectLike(new Dictionary<string, object> { ["SSEEnabled"] = true }),
                }),
            });
        }
    }

    /// <summary>A throw-away installation (<c>retainData=false</c>) deletes its tables with the stack.</summary>
    [Fact]
    public void WithoutRetention_TablesAreDeletedWithTheStack()
    {
        var outdir = Path.Combine(Path.GetTempPath(), "notify-cdk-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var stack = new Amazon.CDK.Stack(new Amazon.CDK.App(new Amazon.CDK.AppProps { Outdir = outdir }), "Data");
            _ = new Notify.Cdk.Data.NotifyData(stack, "Data", new Notify.Cdk.Data.NotifyDataProps { ResourcePrefix = "t-", Retain = false });

            var template = Template.FromStack(stack);
            template.ResourceCountIs("AWS::DynamoDB::Table", Notify.Cdk.Data.NotifyTableShapes.All.Count);
            template.AllResources("AWS::DynamoDB::Table", new Dictionary<string, object> { ["DeletionPolicy"] = "Delete" });
        }
        finally
        {
            if (Directory.Exists(outdir))
            {
                Directory.Delete(outdir, recursive: true);
            }
        }
    }

    private static List<string> Keys(List<KeySchemaElement> keys) => [.. keys.Select(k => $"{k.AttributeName} {k.KeyType.Value}")];

    private static List<string> Keys(JsonElement keys) =>
        [.. keys.EnumerateArray().Select(k => $"{k.GetProperty("AttributeName").GetString()} {k.GetProperty("KeyType").GetString()}")];

    private static string Index(string name, List<KeySchemaElement> keys, Projection projection) =>
        $"{name} ({string.Join(", ", Keys(keys))}) {projection.ProjectionType.Value}";

    private static IEnumerable<string> Indexes(JsonElement table, string property) =>
        table.TryGetProperty(property, out var indexes)
            ? indexes.EnumerateArray().Select(i => $"{i.GetProperty("IndexName").GetString()} ({string.Join(", ", Keys(i.GetProperty("KeySchema")))}) {i.GetProperty("Projection").GetProperty("ProjectionType").GetString()}").Order()
            : [];
}
