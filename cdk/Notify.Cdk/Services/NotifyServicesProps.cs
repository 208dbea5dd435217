using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.SQS;
using Notify.Cdk.Secrets;

namespace Notify.Cdk.Services;

public sealed class NotifyServicesProps
{
    public required NotifySettings Settings { get; init; }

    public required IVpc Vpc { get; init; }

    /// <summary>The tasks' security group (the Redis ring accepts it only).</summary>
    public required ISecurityGroup SecurityGroup { get; init; }

    /// <summary>The tables both services read and write.</summary>
    public required IReadOnlyList<TableGrant> Tables { get; init; }

    public required IQueue Queue { get; init; }

    public required NotifySecrets Secrets { get; init; }

    /// <summary>The value of <c>Notify:Redis:Nodes</c>.</summary>
    public required string RedisNodes { get; init; }
}

/// <summary>A table and the names of its indexes, so grants can name each index's ARN instead of <c>index/*</c>.</summary>
public sealed record TableGrant(ITable Table, IReadOnlyList<string> IndexNames);
