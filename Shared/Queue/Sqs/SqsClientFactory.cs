using Amazon.Runtime;
using Amazon.SQS;
using Notify.Shared.Configuration;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// Builds the SQS client of Aws mode from <c>Notify:Aws</c>. Credentials come from the SDK's default chain
/// (environment, profile, task or instance role) unless the host registered its own, as tests do.
/// </summary>
internal static class SqsClientFactory
{
    // Above SQS's longest long poll (20 s), so only a hung request reaches it.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public static AmazonSQSClient Create(AwsOptions options, AWSCredentials? credentials = null)
    {
        // The SDK's retries (AwsClientSettings) cover whole requests; the queue itself resends only the
        // batch entries SQS failed on its side, which a successful request's retries never see.
        var config = AwsClientSettings.Apply(new AmazonSQSConfig(), options, options.SqsServiceUrl, RequestTimeout, ConnectTimeout);
        return credentials is null ? new AmazonSQSClient(config) : new AmazonSQSClient(credentials, config);
    }
}
