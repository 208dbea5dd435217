using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.SecretsManager;

namespace Notify.Cdk.Cache;

public sealed class RedisRingProps
{
    /// <summary>Named in the nodes' descriptions, to tell installations apart in one account.</summary>
    public required string ResourcePrefix { get; init; }

    public required IVpc Vpc { get; init; }

    /// <summary>The services' security group: the only one the nodes accept connections from.</summary>
    public required ISecurityGroup Clients { get; init; }

    /// <summary>The secret holding the nodes' auth token (Redis AUTH), also given to the services.</summary>
    public required ISecret AuthToken { get; init; }

    /// <value>The default is 2 nodes.</value>
    public int NodeCount { get; init; } = 2;

    /// <value>The default is <c>cache.t4g.micro</c>.</value>
    public string NodeType { get; init; } = "cache.t4g.micro";
}
