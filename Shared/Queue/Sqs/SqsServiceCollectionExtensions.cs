using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;

namespace Notify.Shared.Queue.Sqs;

internal static class SqsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqsMessageQueue"/> as the <see cref="IMessageQueue"/> for the queue
    /// <c>{Notify:Aws:ResourcePrefix}messages</c>, its <see cref="SqsClient"/> (a typed HttpClient), and the
    /// start-up step that finds or creates the queue. An <see cref="AWSCredentials"/> registered by the
    /// host signs the requests; without one, AWS's default chain does.
    /// </summary>
    public static IServiceCollection AddSqsMessageQueue(this IServiceCollection services)
    {
        services.AddNotifyAwsOptions();

        // The queue is a singleton and keeps its client, so the handler is never rotated; connections
        // are recycled instead, which is what handler rotation is for (DNS changes behind SQS's name).
        // Redirects are not followed: a followed redirect would carry a signature for another URL.
        services.AddHttpClient(nameof(SqsClient))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // Above SQS's longest long poll (20 s), so only a hung request reaches it.
            .ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(60))
            .AddTypedClient((http, services) => new SqsClient(
                http,
                SqsClientOptions.From(services.GetRequiredService<IOptions<AwsOptions>>().Value, services.GetService<AWSCredentials>()),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<SqsClient>>()));

        services.TryAddSingleton<IMessageQueue>(services => new SqsMessageQueue(
            services.GetRequiredService<SqsClient>(),
            SqsQueueSettings.From(services.GetRequiredService<IOptions<AwsOptions>>().Value),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<SqsMessageQueue>>()));
        services.AddHostedService<SqsQueueStartup>();
        return services;
    }
}
