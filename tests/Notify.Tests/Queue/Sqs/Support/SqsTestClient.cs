using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Shared.Queue.Sqs;

namespace Notify.Tests.Queue.Sqs.Support;

/// <summary>SqsClients for tests: fixed credentials, and retries quick enough that a test waits milliseconds.</summary>
internal static class SqsTestClient
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "local-secret-key";

    public static readonly AWSCredentials Credentials = new BasicAWSCredentials(AccessKey, SecretKey);

    // One connection pool for every test, as a host's IHttpClientFactory would keep.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    public static SqsClient Create(Uri serviceUrl, int maxRetryAttempts = 5, ILogger<SqsClient>? logger = null) => new(
        Http,
        new SqsClientOptions
        {
            ServiceUrl = serviceUrl,
            Region = "us-east-1",
            Credentials = Credentials,
            MaxRetryAttempts = maxRetryAttempts,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        },
        TimeProvider.System,
        logger ?? NullLogger<SqsClient>.Instance);

    /// <summary>A queue name no other test uses.</summary>
    public static string UniqueQueueName() => "t-" + Guid.NewGuid().ToString("N");
}
