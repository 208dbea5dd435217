using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Shared.Configuration;
using Notify.Shared.Storage;

namespace Notify.Sender.Storage;

public static class EmbeddedStoreServiceExtensions
{
    internal const string WhyUnavailable =
        "no Notify store (queue.db, metadata.db) in this Sender's data directory yet: start the Frontend first, " +
        "or point both at the same Notify:DataDirectory";

    /// <summary>
    /// For a Sender running on its own: in Embedded mode it waits for the store a Frontend creates (see
    /// <see cref="EmbeddedStoreWatch"/>), unready and receiving nothing until then. In Aws mode the store is
    /// there once the start-up has found or created the tables and the queue: nothing to wait for.
    /// </summary>
    public static IHostApplicationBuilder WaitForEmbeddedStore(this IHostApplicationBuilder builder)
    {
        if (NotifyOptions.ModeIn(builder.Configuration) != NotifyMode.Embedded)
        {
            return builder;
        }

        builder.Services.RemoveAll<StoreAvailability>();
        builder.Services.AddSingleton(StoreAvailability.Awaited(WhyUnavailable));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<EmbeddedStoreWatch>();
        return builder;
    }
}
