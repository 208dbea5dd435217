using Amazon;
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

    // Standard mode (exponential backoff with jitter, a retry quota, throttling and 5xx and connection
    // errors retried) with 3 retries rather than the SDK's legacy default of up to 10: measured here, 10
    // retries held a DynamoDB call 1 min 44 s against a refused connection. After three the caller gets
    // DependencyUnavailableException (a 503) and retries on its own schedule. The SDK's retries are the
    // only ones around an SQS call; the queue resends only the batch entries SQS itself failed.
    private const int MaxRetries = 3;

    public static AmazonSQSClient Create(AwsOptions options, AWSCredentials? credentials = null)
    {
        var config = new AmazonSQSConfig
        {
            Timeout = RequestTimeout,
            ConnectTimeout = ConnectTimeout,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = MaxRetries,
        };

        if (options.SqsServiceUrl is { } serviceUrl)
        {
            // A local server (moto) or a VPC endpoint: the region still names the signing scope.
            config.ServiceURL = serviceUrl.AbsoluteUri;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return credentials is null ? new AmazonSQSClient(config) : new AmazonSQSClient(credentials, config);
    }
}
