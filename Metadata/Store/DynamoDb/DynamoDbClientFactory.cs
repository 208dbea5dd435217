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

    public static AmazonDynamoDBClient Create(AwsOptions options, AWSCredentials? credentials = null)
    {
        var config = new AmazonDynamoDBConfig
        {
            Timeout = RequestTimeout,
            ConnectTimeout = ConnectTimeout,
            RetryMode = RequestRetryMode.Standard,
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
