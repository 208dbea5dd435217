using Amazon;
using Amazon.Runtime;

namespace Notify.Shared.Configuration;

/// <summary>What the SQS and DynamoDB clients of Aws mode share: where they call, their retries, their timeouts.</summary>
public static class AwsClientSettings
{
    // Standard mode (exponential backoff with jitter, a retry quota, throttling and 5xx and connection
    // errors retried) with 3 retries rather than the SDK's legacy default of up to 10: measured here, 10
    // retries held a DynamoDB call 1 min 44 s against a refused connection. After three the caller gets
    // DependencyUnavailableException (a 503) and retries on its own schedule. The SDK's retries are the
    // only ones around an AWS call.
    private const int MaxRetries = 3;

    /// <param name="serviceUrl">A local server (moto, dynalite) or a VPC endpoint; null for the region's own.</param>
    public static TConfig Apply<TConfig>(TConfig config, AwsOptions options, Uri? serviceUrl, TimeSpan requestTimeout, TimeSpan connectTimeout)
        where TConfig : ClientConfig
    {
        config.Timeout = requestTimeout;
        config.ConnectTimeout = connectTimeout;
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = MaxRetries;
        if (serviceUrl is not null)
        {
            // The region still names the signing scope.
            config.ServiceURL = serviceUrl.AbsoluteUri;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return config;
    }
}
