using System.Text.Json;
using Notify.Cdk.Tests.Support;

namespace Notify.Cdk.Tests;

/// <summary>The ring's nodes: as many as asked, private, TLS with an auth token, reachable from the services only, and named to the services as Notify reads them.</summary>
[Collection(SynthesizedCollection.Name)]
public sealed class CacheTests(SynthesizedStacks stacks)
{
    [Fact]
    public void Nodes_AreSingleRedisNodesWithTlsAndTheSecretsAuthToken()
    {
        foreach (var (stack, count) in new[] { (stacks.Plain, 2), (stacks.Full, 3) })
        {
            var nodes = stack.OfType("AWS::ElastiCache::ReplicationGroup");
            Assert.Equal(count, nodes.Count);
            var secret = stack.LogicalId(stack.Stack.Secrets.RedisAuthToken);
            var securityGroup = stack.LogicalId(stack.Stack.Cache.SecurityGroup);
            foreach (var (_, node) in nodes)
            {
                Assert.Equal("redis", node.GetProperty("Engine").GetString());
                Assert.Equal(1, node.GetProperty("NumCacheClusters").GetInt32());
                Assert.True(node.GetProperty("TransitEncryptionEnabled").GetBoolean());
                Assert.True(node.GetProperty("AtRestEncryptionEnabled").GetBoolean());
                // A dynamic reference resolved by CloudFormation: the token itself is never in the template.
                var authToken = node.GetProperty("AuthToken").GetRawText();
                Assert.Contains("{{resolve:secretsmanager:", authToken, StringComparison.Ordinal);
                Assert.Contains($"\"Ref\":\"{secret}\"", authToken.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
                Assert.Equal(securityGroup, node.GetProperty("SecurityGroupIds")[0].GetProperty("Fn::GetAtt")[0].GetString());
                Assert.Equal(stack.LogicalId(stack.Stack.Cache.Node.FindChild("Subnets")), node.GetProperty("CacheSubnetGroupName").GetProperty("Ref").GetString());
            }
        }
    }

    [Fact]
    public void SubnetGroup_HoldsOnlyTheNewVpcsPrivateSubnets()
    {
        var stack = stacks.Plain;
        var privateSubnets = stack.OfType("AWS::EC2::Subnet")
            .Where(s => s.Properties.GetProperty("Tags").EnumerateArray().Any(t => t.GetProperty("Key").GetString() == "aws-cdk:subnet-type" && t.GetProperty("Value").GetString() == "Private"))
            .Select(s => s.Id).Order().ToList();
        var group = stack.OfType("AWS::ElastiCache::SubnetGroup").Single().Properties;

        Assert.NotEmpty(privateSubnets);
        Assert.Equal(privateSubnets, group.GetProperty("SubnetIds").EnumerateArray().Select(s => s.GetProperty("Ref").GetString()).Order());
    }

    [Fact]
    public void InAnExistingVpc_NodesAndTasksUseItsPrivateSubnets()
    {
        var stack = stacks.Full;
        stack.Template.ResourceCountIs("AWS::EC2::VPC", 0);
        var group = stack.OfType("AWS::ElastiCache::SubnetGroup").Single().Properties;
        string[] expected = ["subnet-private-a", "subnet-private-b"];

        Assert.Equal(expected, group.GetProperty("SubnetIds").EnumerateArray().Select(s => s.GetString()));
        Assert.All(stack.OfType("AWS::ECS::Service"), s =>
            Assert.Equal(expected, s.Properties.GetProperty("NetworkConfiguration").GetProperty("AwsvpcConfiguration").GetProperty("Subnets").EnumerateArray().Select(e => e.GetString())));
        var balancer = stack.OfType("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Properties;
        Assert.Equal(["subnet-public-a", "subnet-public-b"], balancer.GetProperty("Subnets").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Nodes_AcceptRedisFromTheServicesSecurityGroupOnly()
    {
        foreach (var stack in stacks.Both)
        {
            var cacheGroup = stack.LogicalId(stack.Stack.Cache.SecurityGroup);
            var group = stack.Resources.GetProperty(cacheGroup).GetProperty("Properties");
            Assert.False(group.TryGetProperty("SecurityGroupIngress", out _), "The cache's security group has inline (CIDR) ingress rules");

            var ingress = stack.OfType("AWS::EC2::SecurityGroupIngress")
                .Where(r => r.Properties.GetProperty("GroupId").GetProperty("Fn::GetAtt")[0].GetString() == cacheGroup)
                .Select(r => r.Properties).ToList();
            var rule = Assert.Single(ingress);
            Assert.Equal(6379, rule.GetProperty("FromPort").GetInt32());
            Assert.Equal(6379, rule.GetProperty("ToPort").GetInt32());
            var services = ServicesSecurityGroup(stack);
            Assert.Equal(services, rule.GetProperty("SourceSecurityGroupId").GetProperty("Fn::GetAtt")[0].GetString());

            // That group is the one both services run in.
            foreach (var (_, service) in stack.OfType("AWS::ECS::Service"))
            {
                var groups = service.GetProperty("NetworkConfiguration").GetProperty("AwsvpcConfiguration").GetProperty("SecurityGroups");
                Assert.Contains(services, groups.EnumerateArray().Select(g => g.GetProperty("Fn::GetAtt")[0].GetString()));
            }
        }
    }

    [Fact]
    public void Services_ReachTheNodesOverTlsWithThePassword()
    {
        var stack = stacks.Full;
        foreach (var service in NotifyProcesses.Names)
        {
            var environment = NotifyProcesses.Environment(stack, service);
            Assert.Equal("true", environment["Notify__Redis__Ssl"].GetString());
            // "host:port" of every node, comma-separated: one join per node inside the list's join.
            var nodes = environment["Notify__Redis__Nodes"].GetProperty("Fn::Join");
            Assert.Equal(",", nodes[0].GetString());
            var endpoints = nodes[1].EnumerateArray().ToList();
            Assert.Equal(3, endpoints.Count);
            Assert.All(endpoints, e =>
            {
                var parts = e.GetProperty("Fn::Join");
                Assert.Equal(":", parts[0].GetString());
                Assert.Equal("PrimaryEndPoint.Address", parts[1][0].GetProperty("Fn::GetAtt")[1].GetString());
                Assert.Equal("PrimaryEndPoint.Port", parts[1][1].GetProperty("Fn::GetAtt")[1].GetString());
            });
            Assert.Equal(stack.LogicalId(stack.Stack.Secrets.RedisAuthToken), NotifyProcesses.Secrets(stack, service)["Notify__Redis__Password"].GetProperty("Ref").GetString());
        }
    }

    private static string ServicesSecurityGroup(SynthesizedStack stack) =>
        stack.OfType("AWS::EC2::SecurityGroup").Single(g => g.Properties.GetProperty("GroupDescription").GetString() == "Notify's Frontend and Sender tasks").Id;
}
