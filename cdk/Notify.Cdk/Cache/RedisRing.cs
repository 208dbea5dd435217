using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElastiCache;
using Constructs;

namespace Notify.Cdk.Cache;

/// <summary>
/// The nodes of Notify's consistent-hash ring (<c>Notify:Redis:Nodes</c>): independent single-node Redis
/// replication groups, because Notify spreads keys over the nodes itself and a node's loss only costs
/// cache hits. Private subnets, TLS in transit, encryption at rest and an auth token; reachable on 6379
/// from the services' security group only.
/// </summary>
public sealed class RedisRing : Construct
{
    public const int Port = 6379;

    public RedisRing(Construct scope, string id, RedisRingProps props) : base(scope, id)
    {
        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = "Notify's Redis ring: Redis from the Notify services only",
            AllowAllOutbound = false,
        });
        SecurityGroup.AddIngressRule(props.Clients, Amazon.CDK.AWS.EC2.Port.Tcp(Port), "Redis from the Notify services");

        var subnets = new CfnSubnetGroup(this, "Subnets", new CfnSubnetGroupProps
        {
            Description = "Notify's Redis ring: private subnets",
            SubnetIds = props.Vpc.SelectSubnets(new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS }).SubnetIds,
        });

        var nodes = new List<CfnReplicationGroup>();
        for (var i = 1; i <= props.NodeCount; i++)
        {
            var node = new CfnReplicationGroup(this, $"Node{i}", new CfnReplicationGroupProps
            {
                ReplicationGroupDescription = $"Notify ({props.ResourcePrefix}) ring node {i}",
                Engine = "redis",
                EngineVersion = "7.1",
                CacheNodeType = props.NodeType,
                NumCacheClusters = 1,
                Port = Port,
                CacheSubnetGroupName = subnets.Ref,
                SecurityGroupIds = [SecurityGroup.SecurityGroupId],
                TransitEncryptionEnabled = true,
                AtRestEncryptionEnabled = true,
                AuthToken = props.AuthToken.SecretValue.UnsafeUnwrap(),
            });
            nodes.Add(node);
        }

        Nodes = nodes;
        // Notify:Redis:Nodes is "host:port,host:port": the primary endpoints, resolved at deployment.
        NodeList = Fn.Join(",", [.. nodes.Select(n => Fn.Join(":", [n.AttrPrimaryEndPointAddress, n.AttrPrimaryEndPointPort]))]);
    }

    public SecurityGroup SecurityGroup { get; }

    public IReadOnlyList<CfnReplicationGroup> Nodes { get; }

    /// <summary>The value of <c>Notify:Redis:Nodes</c>.</summary>
    public string NodeList { get; }
}
