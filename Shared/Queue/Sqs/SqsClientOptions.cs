using Amazon;
using Amazon.Runtime;
using Notify.Shared.Configuration;

namespace Notify.Shared.Queue.Sqs;

/// <summary>Where <see cref="SqsClient"/> sends requests, who signs them, and how it retries.</summary>
internal sealed class SqsClientOptions
{
    /// <summary>The endpoint requests are POSTed to.</summary>
    public required Uri ServiceUrl { get; init; }

    /// <summary>The region in the SigV4 credential scope.</summary>
    public required string Region { get; init; }

    /// <summary>The credentials to sign with; null takes them from AWS's default chain on each request.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Retries after the first attempt; 0 for none.</summary>
    /// <value>The default is 5.</value>
    public int MaxRetryAttempts { get; init; } = 5;

    /// <summary>The first retry's delay; each next one doubles it, with jitter.</summary>
    /// <value>The default is 200 ms.</value>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <value>The default is 10 s.</value>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <param name="credentials">Credentials registered by the host, if any; else AWS's default chain.</param>
    public static SqsClientOptions From(AwsOptions aws, AWSCredentials? credentials) => new()
    {
        ServiceUrl = aws.SqsServiceUrl ?? DefaultServiceUrl(aws.Region),
        Region = aws.Region,
        Credentials = credentials,
    };

    /// <summary><c>https://sqs.{region}.{dns suffix}/</c>, the suffix of the region's partition (amazonaws.com, amazonaws.com.cn, ...).</summary>
    public static Uri DefaultServiceUrl(string region) =>
        new($"https://sqs.{region}.{RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix}/");
}
