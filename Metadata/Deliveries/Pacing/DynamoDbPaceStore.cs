using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries.DynamoDb;
using Notify.Shared.Configuration;
using static Notify.Metadata.Deliveries.DynamoDb.DeliveryKeys;

namespace Notify.Metadata.Deliveries.Pacing;

/// <summary>
/// The pace of Aws mode: one item per line in the deliveries table, <c>pace#{line} / next</c> (times in Unix microseconds), shared by every
/// Sender. DynamoDB has no <c>max</c> in an update, so a turn takes one or two conditional writes: a line that
/// is free (no item, or its next turn passed) is set to now + interval, and that turn is now; otherwise the
/// interval is added to the next turn atomically, and the turn is the value before the add. The add is only
/// made while the next turn is still ahead, so a line that fell free in between is taken again by the first
/// write rather than handed a turn in the past. The item expires an hour or more after its next turn.
/// </summary>
public sealed class DynamoDbPaceStore : IPaceStore
{
    private const string NextTurn = "nextTurn";

    // A line that keeps falling free and filling between the two writes is retried this often: each round
    // needs another Sender to have taken a turn in between, so more than a few means a defect.
    private const int Rounds = 8;

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;
    private readonly TimeProvider _clock;

    public DynamoDbPaceStore(IAmazonDynamoDB client, IOptions<AwsOptions> options, TimeProvider clock)
        : this(client, DeliveriesTable.NameFor(options.Value), clock)
    {
    }

    internal DynamoDbPaceStore(IAmazonDynamoDB client, string tableName, TimeProvider clock)
    {
        _client = client;
        _table = tableName;
        _clock = clock;
    }

    public async Task<DateTimeOffset> TakeTurnAsync(string line, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var step = PaceTime.Step(interval);
        for (var round = 0; round < Rounds; round++)
        {
            var now = _clock.GetUtcNow();
            if (await TryTakeFreeLineAsync(line, now, step, cancellationToken))
            {
                return now;
            }

            if (await TryQueueBehindAsync(line, now, step, cancellationToken) is { } turn)
            {
                return turn;
            }
        }

        throw new InvalidOperationException($"The pace line {line} changed under every one of {Rounds} attempts to take a turn.");
    }

    private async Task<bool> TryTakeFreeLineAsync(string line, DateTimeOffset now, long step, CancellationToken cancellationToken)
    {
        var next = PaceTime.Micros(now) + step;
        try
        {
            await _client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Key("pace#" + line, "next"),
                UpdateExpression = "SET #next = :next, #ttl = :ttl",
                ConditionExpression = "attribute_not_exists(#next) OR #next <= :now",
                ExpressionAttributeNames = new() { ["#next"] = NextTurn, ["#ttl"] = TimeToLive },
                ExpressionAttributeValues = new()
                {
                    [":next"] = N(next),
                    [":now"] = N(PaceTime.Micros(now)),
                    [":ttl"] = Ttl(PaceTime.FromMicros(next) + SqlitePaceStore.IdleLineKept),
                },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<DateTimeOffset?> TryQueueBehindAsync(string line, DateTimeOffset now, long step, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await _client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Key("pace#" + line, "next"),
                // The expiry moves by at least as much as the next turn (whole seconds, rounded up), so it stays
                // an hour or more after it while the line is in use.
                UpdateExpression = "SET #next = #next + :step, #ttl = #ttl + :stepSeconds",
                ConditionExpression = "#next > :now",
                ExpressionAttributeNames = new() { ["#next"] = NextTurn, ["#ttl"] = TimeToLive },
                ExpressionAttributeValues = new() { [":step"] = N(step), [":stepSeconds"] = N((step + 999_999) / 1_000_000), [":now"] = N(PaceTime.Micros(now)) },
                ReturnValues = ReturnValue.UPDATED_NEW,
            }, cancellationToken);
            return PaceTime.FromMicros(Long(answer.Attributes, NextTurn) - step);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }
}
