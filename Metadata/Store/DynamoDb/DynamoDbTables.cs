using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Start-up check of Aws mode's tables, each registered as a <see cref="DynamoDbTable"/> by the part that
/// uses it (the metadata table; the dedup table when dedup claims live in DynamoDB): each must exist and be
/// ACTIVE with the keys and indexes Notify queries. With <c>Notify:Aws:CreateResources</c> (the default) a
/// missing table is created and every table gets its TTL (expired pending subscriptions and old tombstones;
/// dedup claims); without it Notify changes nothing and a missing table stops the start.
/// </summary>
internal sealed partial class DynamoDbTables(IAmazonDynamoDB client, IOptions<AwsOptions> options, IEnumerable<DynamoDbTable> tables, ILogger<DynamoDbTables> logger)
{
    // Real DynamoDB takes seconds to a minute to create a table with indexes; dynalite 0.5 s.
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    // A process registers a table once per part that uses it; each is checked once.
    private readonly DynamoDbTable[] _tables = [.. tables.DistinctBy(table => table.Name)];

    /// <exception cref="InvalidOperationException">A table is missing and may not be created, or has another shape.</exception>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_tables.Select(table => EnsureTableAsync(table.Definition, cancellationToken)));

        if (options.Value.CreateResources)
        {
            await Task.WhenAll(_tables.Select(table => EnsureTimeToLiveAsync(table.Name, table.TimeToLiveAttribute, cancellationToken)));
        }
    }

    private async Task EnsureTableAsync(CreateTableRequest definition, CancellationToken cancellationToken)
    {
        var table = definition.TableName;
        var description = await DescribeAsync(table, cancellationToken);
        if (description is null)
        {
            if (!options.Value.CreateResources)
            {
                throw new InvalidOperationException(
                    $"The DynamoDB table '{table}' does not exist, and Notify:Aws:CreateResources is false, so Notify does not create it. " +
                    "Create the table (once with Notify:Aws:CreateResources=true, or by hand as the README's 'Running in Aws mode' says), check Notify:Aws:ResourcePrefix and Notify:Aws:Region, or set Notify:Aws:CreateResources=true.");
            }

            try
            {
                await client.CreateTableAsync(definition, cancellationToken);
                Log.TableCreated(logger, table);
            }
            catch (ResourceInUseException)
            {
                // Another instance is creating it at this moment: wait for it like for our own.
            }
        }
        else if (TableDefinitions.Mismatch(definition, description) is { } mismatch)
        {
            throw new InvalidOperationException($"The DynamoDB table '{table}' cannot be used by Notify: {mismatch}. Delete it or choose another Notify:Aws:ResourcePrefix.");
        }

        await WaitUntilActiveAsync(table, cancellationToken);
    }

    private async Task WaitUntilActiveAsync(string table, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ActiveTimeout);
        try
        {
            while (true)
            {
                var description = await DescribeAsync(table, timeout.Token)
                    ?? throw new InvalidOperationException($"The DynamoDB table '{table}' disappeared while Notify waited for it to become ACTIVE.");
                if (description.TableStatus == TableStatus.ACTIVE && (description.GlobalSecondaryIndexes ?? []).All(i => i.IndexStatus == IndexStatus.ACTIVE))
                {
                    return;
                }

                await Task.Delay(PollInterval, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The DynamoDB table '{table}' did not become ACTIVE within {ActiveTimeout.TotalMinutes} minutes.");
        }
    }

    private async Task<TableDescription?> DescribeAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, cancellationToken)).Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Lets DynamoDB delete expired items (dedup claims; pending subscriptions never confirmed and old
    /// tombstones). The stores never rely on it (deletion may lag by days); it only keeps the tables from
    /// growing. Servers without TTL, such as dynalite, are accepted.
    /// </summary>
    private async Task EnsureTimeToLiveAsync(string table, string attribute, CancellationToken cancellationToken)
    {
        try
        {
            if (await TimeToLiveIsSetAsync(table, attribute, cancellationToken))
            {
                return;
            }

            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = table,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = attribute, Enabled = true },
            }, cancellationToken);
            Log.TimeToLiveEnabled(logger, table, attribute);
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode == "UnknownOperationException")
        {
            Log.TimeToLiveUnsupported(logger, table, client.Config.ServiceURL ?? client.Config.RegionEndpoint?.SystemName);
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode == "ValidationException")
        {
            // Another instance may have enabled it between our check and our update.
            if (!await TimeToLiveIsSetAsync(table, attribute, cancellationToken))
            {
                throw;
            }
        }
    }

    private async Task<bool> TimeToLiveIsSetAsync(string table, string attribute, CancellationToken cancellationToken)
    {
        var description = (await client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table }, cancellationToken)).TimeToLiveDescription;
        var status = description?.TimeToLiveStatus;
        if (status != TimeToLiveStatus.ENABLED && status != TimeToLiveStatus.ENABLING)
        {
            return false;
        }

        if (description!.AttributeName != attribute)
        {
            Log.TimeToLiveOnOtherAttribute(logger, table, description.AttributeName, attribute);
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Created the DynamoDB table {Table}", EventName = "TableCreated")]
        public static partial void TableCreated(ILogger logger, string table);

        [LoggerMessage(2, LogLevel.Information, "Enabled TTL on {Attribute} of the DynamoDB table {Table}", EventName = "TimeToLiveEnabled")]
        public static partial void TimeToLiveEnabled(ILogger logger, string table, string attribute);

        [LoggerMessage(3, LogLevel.Information, "TTL is not supported by the DynamoDB endpoint {Endpoint}: expired items stay in {Table} (they are still ignored)", EventName = "TimeToLiveUnsupported")]
        public static partial void TimeToLiveUnsupported(ILogger logger, string table, string? endpoint);

        [LoggerMessage(4, LogLevel.Warning, "TTL of the DynamoDB table {Table} is on {Attribute}, not {Expected}: its expired items are never deleted", EventName = "TimeToLiveOnOtherAttribute")]
        public static partial void TimeToLiveOnOtherAttribute(ILogger logger, string table, string attribute, string expected);
    }
}
