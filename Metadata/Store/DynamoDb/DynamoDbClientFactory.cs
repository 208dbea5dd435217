using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Notify.Shared.Configuration;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Builds the DynamoDB client of Aws mode from <c>Notify:Aws</c>. Credentials come from the default AWS
/// chain (environment, profile, task or instance role) unless a caller, such as a test, passes its own.
/// </summary>
internal static class DynamoDbClientFactory
{
    // Metadata calls are single-item reads and writes or short queries: a request still waiting after
    // 10 s is stuck, and the SDK's own retries (standard mode) are the better remedy than waiting on.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    // The SDK's default for DynamoDB is 10 retries: against a refused connection that held one call for
    // 1 min 44 s (measured), far past any caller's patience. Three retries (about 3 s of backoff) ride out
    // throttling and a node's blip; after them the caller gets a 503 and retries on its own schedule.
    private const int MaxRetries = 3;

    public static AmazonDynamoDBClient Create(AwsOptions options, AWSCredentials? credentials = null)
    {
        var config = new AmazonDynamoDBConfig
        {
            Timeout = RequestTimeout,
            ConnectTimeout = ConnectTimeout,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = MaxRetries,
        };

        if (options.DynamoDbServiceUrl is { } serviceUrl)
        {
            // A local server (dynalite) or a VPC endpoint: the region still names the signing scope.
            config.ServiceURL = serviceUrl.AbsoluteUri;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }
}
