using Xunit;

namespace Notify.TestServers;

/// <summary>
/// Everything Aws mode talks to, on loopback: dynalite, moto (SQS) and a ring of three Redis nodes, plus
/// the settings that point Notify at them.
/// </summary>
public sealed class AwsServers : IAsyncLifetime
{
    /// <summary>The base64 of 32 fixed bytes: the link token key every Aws-mode process under test shares.</summary>
    public const string LinkTokenKey = "bm90aWZ5LXRlc3QtbGluay10b2tlbi1rZXktMzJieXQ=";

    public DynaliteServer DynamoDb { get; } = new();

    public SqsServer Sqs { get; } = new();

    public RedisRing Redis { get; } = new();

    /// <summary>
    /// Settings for a Notify process in Aws mode against these servers; <paramref name="resourcePrefix"/>
    /// keeps the tables and queue of one test apart from another's.
    /// </summary>
    public Dictionary<string, string?> Settings(string resourcePrefix) => new()
    {
        ["Notify:Mode"] = "Aws",
        ["Notify:Aws:Region"] = "us-east-1",
        ["Notify:Aws:DynamoDbServiceUrl"] = DynamoDb.ServiceUrl.AbsoluteUri,
        ["Notify:Aws:SqsServiceUrl"] = Sqs.ServiceUrl.AbsoluteUri,
        ["Notify:Aws:ResourcePrefix"] = resourcePrefix,
        ["Notify:Redis:Nodes"] = Redis.NodesSetting,

        // Required in Aws mode: every Frontend and Sender derives the links' tokens from it.
        ["Notify:Links:TokenKey"] = LinkTokenKey,
        ["AWS_ACCESS_KEY_ID"] = "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
    };

    public Task InitializeAsync() => StartAll.OrStopAsync([DynamoDb.InitializeAsync(), Sqs.InitializeAsync(), Redis.InitializeAsync()], DisposeAsync);

    public Task DisposeAsync() => Task.WhenAll(DynamoDb.DisposeAsync(), Sqs.DisposeAsync(), Redis.DisposeAsync());
}
