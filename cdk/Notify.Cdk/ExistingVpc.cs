namespace Notify.Cdk;

/// <summary>
/// A VPC the stack deploys into (context <c>vpcId</c>, <c>availabilityZones</c>, <c>publicSubnetIds</c>,
/// <c>privateSubnetIds</c>, the lists comma-separated, one subnet of each kind per zone, in the zones' order).
/// The private subnets need a route out (NAT): the tasks reach AWS's APIs and the delivery endpoints.
/// </summary>
public sealed record ExistingVpc(string VpcId, IReadOnlyList<string> AvailabilityZones, IReadOnlyList<string> PublicSubnetIds, IReadOnlyList<string> PrivateSubnetIds)
{
    /// <summary>The VPC named by the context, or null when none is (a new one is made).</summary>
    /// <exception cref="ArgumentException">Some of the values are given and not the others, or the lists' lengths differ.</exception>
    internal static ExistingVpc? From(ContextReader context)
    {
        var id = context.String("vpcId");
        var zones = List(context.String("availabilityZones"));
        var publicSubnets = List(context.String("publicSubnetIds"));
        var privateSubnets = List(context.String("privateSubnetIds"));
        if (id is null && zones.Count + publicSubnets.Count + privateSubnets.Count == 0)
        {
            return null;
        }

        if (id is null || zones.Count == 0 || publicSubnets.Count != zones.Count || privateSubnets.Count != zones.Count)
        {
            throw new ArgumentException("An existing VPC needs vpcId, availabilityZones, publicSubnetIds and privateSubnetIds together, one public and one private subnet per zone.");
        }

        return new ExistingVpc(id, zones, publicSubnets, privateSubnets);
    }

    private static List<string> List(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
