using Amazon.Runtime;
using Amazon.SQS;
using Notify.Shared.Configuration;
using Notify.Shared.Queue.Sqs;

namespace Notify.Tests.Queue.Sqs.Support;

/// <summary>SQS clients for tests, built as Notify builds its own, with fixed credentials.</summary>
internal static class SqsTestClient
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "local-secret-key";

    public static readonly AWSCredentials Credentials = new BasicAWSCredentials(AccessKey, SecretKey);

    public static AmazonSQSClient Create(Uri serviceUrl) =>
        SqsClientFactory.Create(new AwsOptions { SqsServiceUrl = serviceUrl }, Credentials);

    /// <summary>A queue name no other test uses.</summary>
    public static string UniqueQueueName() => "t-" + Guid.NewGuid().ToString("N");
}
