using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Metadata.Extensions;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Ids;

namespace Notify.Bench.FanOut;

/// <summary>
/// The set-up, not measured: the topic and its confirmed webhook subscriptions, written to the data
/// directory's metadata store before the Frontend starts, through the Metadata library opened as a standalone
/// process of the deployment would open it. Each is stored as it is once confirmed (status confirmed, a
/// confirmation time, no expiry) in one transaction, where the API takes two (subscribe, then confirm): the
/// set-up of 100,000 took 1-8 minutes with two fsync'd transactions each.
/// The fan-out measured afterwards is the product's own.
/// </summary>
internal static class SubscriberSetup
{
    public static async Task CreateAsync(string dataDirectory, string topic, int count, Func<int, Uri> endpoint, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Notify:DataDirectory"] = dataDirectory });
        builder.AddNotifyMetadata(inProcessTier: false);
        using (var host = builder.Build())
        {
            var store = host.Services.GetRequiredService<IMetadataStore>();
            await store.CreateTopicAsync(topic, DateTimeOffset.UtcNow, cancellationToken);
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, token) =>
            {
                var now = DateTimeOffset.UtcNow;
                await store.SubscribeAsync(new Subscription
                {
                    Id = SortableId.New(TimeProvider.System),
                    Topic = topic,
                    Protocol = Protocol.Webhook,
                    Endpoint = endpoint(i).AbsoluteUri,
                    Status = SubscriptionStatus.Confirmed,
                    CreatedAt = now,
                    ConfirmedAt = now,
                }, token);
            });
        }

        // The Frontend opens the same files next.
        SqliteConnection.ClearAllPools();
    }
}
