using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Constructs;

namespace Notify.Cdk.Data;

/// <summary>
/// Aws mode's DynamoDB tables, named <c>{prefix}{suffix}</c> as Notify looks them up: on-demand billing
/// (as Notify creates them), point-in-time recovery, encryption with the AWS-managed key, and the TTL
/// attribute Notify would enable itself were it allowed to change the tables.
/// </summary>
public sealed class NotifyData : Construct
{
    public NotifyData(Construct scope, string id, NotifyDataProps props) : base(scope, id)
    {
        Tables = props.Tables.ToDictionary(shape => shape, shape => CreateTable(shape, props));
    }

    /// <summary>Each table by its shape.</summary>
    public IReadOnlyDictionary<TableShape, Table> Tables { get; }

    private Table CreateTable(TableShape shape, NotifyDataProps props)
    {
        var table = new Table(this, Pascal(shape.NameSuffix), new TableProps
        {
            TableName = props.ResourcePrefix + shape.NameSuffix,
            PartitionKey = Attribute(shape.PartitionKey),
            SortKey = Attribute(shape.SortKey),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            Encryption = TableEncryption.AWS_MANAGED,
            TimeToLiveAttribute = shape.TimeToLiveAttribute,
            RemovalPolicy = props.Retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });

        foreach (var index in shape.LocalIndexes)
        {
            table.AddLocalSecondaryIndex(new LocalSecondaryIndexProps
            {
                IndexName = index.Name,
                SortKey = Attribute(index.SortKey),
                ProjectionType = ProjectionType.ALL,
            });
        }

        foreach (var index in shape.GlobalIndexes)
        {
            table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
            {
                IndexName = index.Name,
                PartitionKey = Attribute(index.PartitionKey),
                SortKey = Attribute(index.SortKey),
                ProjectionType = ProjectionType.ALL,
            });
        }

        return table;
    }

    private static Amazon.CDK.AWS.DynamoDB.Attribute Attribute(KeyAttribute key) => new()
    {
        Name = key.Name,
        Type = key.Type == "N" ? AttributeType.NUMBER : AttributeType.STRING,
    };

    private static string Pascal(string suffix) => char.ToUpperInvariant(suffix[0]) + suffix[1..] + "Table";
}
