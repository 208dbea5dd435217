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
    // 10 s is stuck, and the SDK's own retries (standard mode, AwsClientSettings) are the better remedy.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    public static AmazonDynamoDBClient Create(AwsOptions options, AWSCredentials? credentials = null)
    {
        var config = AwsClientSettings.Apply(new AmazonDynamoDBConfig(), options, options.DynamoDbServiceUrl, RequestTimeout, ConnectTimeout);
        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }
}
