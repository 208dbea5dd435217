using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SQS;

namespace Notify.Cdk.Services;

/// <summary>
/// What each task role may do, by the calls each process makes in Aws mode with
/// <c>Notify:Aws:CreateResources=false</c> (no CreateTable, CreateQueue or TTL updates): named actions on
/// named resources, never <c>*</c>.
/// </summary>
public static class TaskGrants
{
    /// <summary>The item calls of the metadata and delivery stores, and DescribeTable of the start-up check.</summary>
    public static IReadOnlyList<string> TableActions { get; } =
    [
        "dynamodb:DescribeTable",
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
    ];

    /// <summary>The Frontend publishes (SendMessageBatch is authorised as SendMessage) and samples the depth.</summary>
    public static IReadOnlyList<string> FrontendQueueActions { get; } =
        ["sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:SendMessage"];

    /// <summary>The Sender also receives, deletes, extends and hands back, and sends the work of fan-outs and retries.</summary>
    public static IReadOnlyList<string> SenderQueueActions { get; } =
        [.. FrontendQueueActions, "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"];

    public static void GrantTables(IRole role, IEnumerable<TableGrant> tables)
    {
        foreach (var grant in tables)
        {
            role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = [.. TableActions],
                Resources = [grant.Table.TableArn, .. grant.IndexNames.Select(index => $"{grant.Table.TableArn}/index/{index}")],
            }));
        }
    }

    public static void GrantQueue(IRole role, IQueue queue, IReadOnlyList<string> actions) =>
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = [.. actions],
            Resources = [queue.QueueArn],
        }));
}
