using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Notify.Metadata.Model;
using StackExchange.Redis;

namespace Notify.Bench.Aws;

/// <summary>One way of looking a topic up, timed call by call.</summary>
internal sealed record LookupResult(string Name, string Tier, int Count, double MeanMicroseconds, double P50Microseconds, double P99Microseconds, double Cores);

/// <summary>
/// What publish does per request to find its topic (<c>IMetadataStore.GetTopicAsync</c>), timed one call
/// after the other in this process through the Metadata library as each process composes it, each next to
/// the plain client call it stands on, with the same key (and so the same value size):
/// the Frontend's in-process tier against a <see cref="ConcurrentDictionary{TKey,TValue}"/> read, the ring
/// (the Sender's composition) against a plain Redis GET on the owning node, DynamoDB (no ring, no
/// in-process tier) against a plain consistent GetItem of the topic's item.
/// </summary>
internal static class LookupBench
{
    public static async Task<List<LookupResult>> RunAsync(
        IReadOnlyDictionary<string, string?> settings, string topic, int inProcessCount, int redisCount, int dynamoCount, CancellationToken cancellationToken)
    {
        var results = new List<LookupResult>();

        await using (var frontend = await MetadataHost.StartAsync(settings, inProcessTier: true, ring: true, cancellationToken))
        {
            var found = await frontend.Store.GetTopicAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"Topic {topic} not found.");
            results.Add(await TimeAsync("GetTopicAsync, Frontend composition (in-process tier hit)", "in-process", inProcessCount,
                async () => await frontend.Store.GetTopicAsync(topic, cancellationToken)));
            var dictionary = new ConcurrentDictionary<string, Topic>(StringComparer.Ordinal) { ["topic:" + topic] = found };
            results.Add(await TimeAsync("ConcurrentDictionary.TryGetValue (baseline)", "in-process", inProcessCount,
                () => ValueTask.FromResult<object?>(dictionary.TryGetValue("topic:" + topic, out var value) ? value : null)));
        }

        await using (var sender = await MetadataHost.StartAsync(settings, inProcessTier: false, ring: true, cancellationToken))
        {
            // The first lookup fills the ring if the entry expired.
            _ = await sender.Store.GetTopicAsync(topic, cancellationToken);
            results.Add(await TimeAsync("GetTopicAsync, Sender composition (Redis ring hit)", "Redis", redisCount,
                async () => await sender.Store.GetTopicAsync(topic, cancellationToken)));
            var (multiplexer, length) = await OwnerAsync(settings["Notify:Redis:Nodes"]!, "topic:" + topic);
            await using (multiplexer)
            {
                var database = multiplexer.GetDatabase();
                results.Add(await TimeAsync($"plain Redis GET of the same key, {length} bytes (baseline)", "Redis", redisCount,
                    async () => (object?)await database.StringGetAsync("topic:" + topic)));
            }
        }

        await using (var store = await MetadataHost.StartAsync(settings, inProcessTier: false, ring: false, cancellationToken))
        {
            results.Add(await TimeAsync("GetTopicAsync, no cache (DynamoDB GetItem)", "DynamoDB", dynamoCount,
                async () => await store.Store.GetTopicAsync(topic, cancellationToken)));
        }

        using var client = new AmazonDynamoDBClient(
            new BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = settings["Notify:Aws:DynamoDbServiceUrl"], AuthenticationRegion = "us-east-1" });
        var request = new GetItemRequest
        {
            TableName = settings["Notify:Aws:ResourcePrefix"] + "metadata",
            Key = new() { ["pk"] = new AttributeValue { S = "topic#" + topic }, ["sk"] = new AttributeValue { S = "topic" } },
            ConsistentRead = true,
        };
        results.Add(await TimeAsync("plain consistent GetItem of the same item, AWS SDK (baseline)", "DynamoDB", dynamoCount, async () =>
        {
            var response = await client.GetItemAsync(request, cancellationToken);
            return response.Item is { Count: > 0 } ? response : throw new InvalidOperationException("The topic's item is not where the store keeps it.");
        }));
        return results;
    }

    /// <summary>The node that holds <paramref name="key"/> (the ring put it there), and the entry's size.</summary>
    private static async Task<(ConnectionMultiplexer Multiplexer, long Length)> OwnerAsync(string nodes, string key)
    {
        foreach (var node in nodes.Split(','))
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(node);
            var length = await multiplexer.GetDatabase().StringLengthAsync(key);
            if (length > 0)
            {
                return (multiplexer, length);
            }

            await multiplexer.DisposeAsync();
        }

        throw new InvalidOperationException($"No Redis node holds {key}.");
    }

    private static async Task<LookupResult> TimeAsync(string name, string tier, int count, Func<ValueTask<object?>> lookup)
    {
        Console.WriteLine($"lookup: {name}, {count:N0} calls...");
        for (var i = 0; i < Math.Max(100, count / 10); i++)
        {
            _ = await lookup() ?? throw new InvalidOperationException($"{name}: not found");
        }

        var micros = new double[count];
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var before = Stopwatch.GetTimestamp();
            _ = await lookup();
            micros[i] = Stopwatch.GetElapsedTime(before).TotalMicroseconds;
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        self.Refresh();
        var cores = (self.TotalProcessorTime - cpuBefore).TotalSeconds / elapsed;
        Array.Sort(micros);
        return new LookupResult(name, tier, count, micros.Average(), Percentile(micros, 0.50), Percentile(micros, 0.99), cores);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
