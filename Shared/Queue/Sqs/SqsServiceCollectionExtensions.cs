using Amazon.Runtime;
using Amazon.SQS;
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
    /// <c>{Notify:Aws:ResourcePrefix}messages</c>, its <see cref="IAmazonSQS"/> client, and the start-up
    /// step that finds or creates the queue. An <see cref="AWSCredentials"/> registered by the host signs
    /// the requests; without one, the SDK's default chain does.
    /// </summary>
    public static IServiceCollection AddSqsMessageQueue(this IServiceCollection services)
    {
        services.AddNotifyAwsOptions();
        services.TryAddSingleton<IAmazonSQS>(services => SqsClientFactory.Create(
            services.GetRequiredService<IOptions<AwsOptions>>().Value,
            services.GetService<AWSCredentials>()));
        services.TryAddSingleton<IMessageQueue>(services => new SqsMessageQueue(
            services.GetRequiredService<IAmazonSQS>(),
            SqsQueueSettings.From(services.GetRequiredService<IOptions<AwsOptions>>().Value),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<SqsMessageQueue>>()));
        services.AddHostedService<SqsQueueStartup>();
        return services;
    }
}
