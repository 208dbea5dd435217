using Amazon;
using Amazon.Runtime;
using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Embedded;
using Notify.Shared.Queue.Sqs;

using Notify.Tests.Support;

namespace Notify.Tests.Queue;

public sealed class QueueServiceExtensionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AddNotifyQueue_InEmbeddedMode_RegistersOneSqliteQueueInTheDataDirectory()
    {
        var builder = CreateBuilder(("Notify:DataDirectory", _directory.File("data")));

        builder.AddNotifyQueue();
        builder.AddNotifyQueue();

        Assert.Single(builder.Services, d => d.ServiceType == typeof(IMessageQueue));
        Assert.Single(builder.Services, d => d.ServiceType == typeof(TimeProvider));
        using var host = builder.Build();
        var queue = Assert.IsType<SqliteMessageQueue>(host.Services.GetRequiredService<IMessageQueue>());
        Assert.Equal(_directory.File(Path.Combine("data", "queue.db")), queue.Path);
        await queue.SendBatchAsync([new OutgoingMessage("m-1", "a")], CancellationToken.None);
        Assert.Equal(new QueueDepth(Waiting: 1, InFlight: 0, Delayed: 0), await queue.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public void AddNotifyQueue_InAwsMode_RegistersOneSqsQueueNamedByTheResourcePrefix()
    {
        var builder = CreateBuilder(
            ("Notify:Mode", "Aws"),
            ("Notify:Aws:Region", "eu-west-1"),
            ("Notify:Aws:SqsServiceUrl", "http://localhost:9324/"),
            ("Notify:Aws:ResourcePrefix", "team-a-"),
            ("Notify:Aws:CreateResources", "false"));

        builder.AddNotifyQueue();
        builder.AddNotifyQueue();

        Assert.Single(builder.Services, d => d.ServiceType == typeof(IMessageQueue));
        Assert.Single(builder.Services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(SqsQueueStartup));
        using var host = builder.Build();
        var queue = Assert.IsType<SqsMessageQueue>(host.Services.GetRequiredService<IMessageQueue>());
        Assert.Same(queue, host.Services.GetRequiredService<IMessageQueue>());
        Assert.Equal("team-a-messages", queue.QueueName);
        var config = host.Services.GetRequiredService<IAmazonSQS>().Config;
        Assert.Equal("http://localhost:9324/", config.ServiceURL);
        Assert.Equal("eu-west-1", config.AuthenticationRegion);

        // The SDK's retries, configured on purpose (SqsClientFactory says why), and a timeout above the longest long poll.
        Assert.Equal(RequestRetryMode.Standard, config.RetryMode);
        Assert.Equal(3, config.MaxErrorRetry);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Timeout);
    }

    [Fact]
    public void AddNotifyQueue_InAwsModeWithoutServiceUrl_TalksToTheRegionsSqsEndpoint()
    {
        var builder = CreateBuilder(("Notify:Mode", "Aws"), ("Notify:Aws:Region", "eu-central-1"));

        builder.AddNotifyQueue();

        using var host = builder.Build();
        var config = host.Services.GetRequiredService<IAmazonSQS>().Config;
        Assert.Null(config.ServiceURL);
        Assert.Equal(RegionEndpoint.EUCentral1, config.RegionEndpoint);
        Assert.Equal("notify-messages", Assert.IsType<SqsMessageQueue>(host.Services.GetRequiredService<IMessageQueue>()).QueueName);
    }

    private static HostApplicationBuilder CreateBuilder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        return builder;
    }
}
