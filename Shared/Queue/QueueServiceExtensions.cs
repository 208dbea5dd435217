using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;
using Notify.Shared.Encryption;
using Notify.Shared.Health;
using Notify.Shared.Queue.Embedded;
using Notify.Shared.Queue.Sqs;
using Notify.Shared.Storage;

namespace Notify.Shared.Queue;

public static class QueueServiceExtensions
{
    /// <summary>
    /// Registers the <see cref="IMessageQueue"/> of the configured <see cref="NotifyMode"/>: in Embedded
    /// mode the SQLite queue in <c>{Notify:DataDirectory}/queue.db</c>, bodies encrypted (<see cref="EncryptionServiceExtensions.AddNotifyEncryption"/>); in Aws mode the SQS queue
    /// <c>{Notify:Aws:ResourcePrefix}messages</c>, found or created (<c>Notify:Aws:CreateResources</c>) while
    /// the host starts; and its readiness check (<c>/readyz</c>). Safe to call more than once, and from both
    /// the Frontend's and the Sender's set-up.
    /// </summary>
    public static IHostApplicationBuilder AddNotifyQueue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddNotifyOptions();
        builder.Services.TryAddSingleton(TimeProvider.System);

        var mode = NotifyOptions.ModeIn(builder.Configuration);
        if (mode == NotifyMode.Embedded)
        {
            builder.Services.AddNotifyEncryption();
            builder.Services.TryAddSingleton<IMessageQueue>(services => new SqliteMessageQueue(
                Path.Combine(services.GetRequiredService<IOptions<NotifyOptions>>().Value.EnsureDataDirectory(), EmbeddedStoreFiles.Queue),
                services.GetRequiredService<PayloadCipher>(),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<SqliteMessageQueue>>()));
        }
        else if (mode == NotifyMode.Aws && !builder.Services.Any(d => d.ServiceType == typeof(IMessageQueue)))
        {
            builder.Services.AddSqsMessageQueue();
        }

        builder.Services.AddReadinessCheck("queue", services => new QueueHealthCheck(services.GetRequiredService<IMessageQueue>()));

        return builder;
    }
}
