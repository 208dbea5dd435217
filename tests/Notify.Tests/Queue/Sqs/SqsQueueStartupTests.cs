using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Sqs;
using Notify.TestServers;
using Notify.Tests.Queue.Sqs.Support;

namespace Notify.Tests.Queue.Sqs;

/// <summary>A host in Aws mode, as <c>AddNotifyQueue</c> sets it up, starting against a local SQS server (moto).</summary>
public sealed class SqsQueueStartupTests(SqsServer sqs) : IClassFixture<SqsServer>
{
    private readonly string _prefix = SqsTestClient.UniqueQueueName() + "-";

    [Fact]
    public async Task HostStart_WithCreateResources_CreatesTheQueue_WhichThenCarriesMessages()
    {
        using var host = BuildHost(createResources: true);

        await host.StartAsync();

        var url = (await SqsTestClient.Create(sqs.ServiceUrl).GetQueueUrlAsync(_prefix + "messages", CancellationToken.None)).QueueUrl;
        var queue = (SqsMessageQueue)host.Services.GetRequiredService<IMessageQueue>();
        Assert.Equal(url, await queue.GetQueueUrlAsync(CancellationToken.None));
        await queue.SendBatchAsync([new OutgoingMessage("m-1", "hello")], CancellationToken.None);
        Assert.Equal("m-1", Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None)).Id);
        await host.StopAsync();
    }

    [Fact]
    public async Task HostStart_WithCreateResourcesOff_UsesTheQueueThatExists()
    {
        var url = (await SqsTestClient.Create(sqs.ServiceUrl).CreateQueueAsync(_prefix + "messages", CancellationToken.None)).QueueUrl;
        using var host = BuildHost(createResources: false);

        await host.StartAsync();

        Assert.Equal(url, await ((SqsMessageQueue)host.Services.GetRequiredService<IMessageQueue>()).GetQueueUrlAsync(CancellationToken.None));
        await host.StopAsync();
    }

    [Fact]
    public async Task HostStart_WithCreateResourcesOff_AndNoQueue_FailsNamingTheQueueAndTheSetting()
    {
        using var host = BuildHost(createResources: false);

        var error = await Assert.ThrowsAsync<SqsQueueDoesNotExistException>(() => host.StartAsync());

        Assert.Contains($"'{_prefix}messages'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:Aws:CreateResources is off", error.Message, StringComparison.Ordinal);
    }

    private IHost BuildHost(bool createResources)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:Mode"] = "Aws",
            ["Notify:Aws:SqsServiceUrl"] = sqs.ServiceUrl.AbsoluteUri,
            ["Notify:Aws:ResourcePrefix"] = _prefix,
            ["Notify:Aws:CreateResources"] = createResources ? "true" : "false",
        });

        // The host's own credentials sign, rather than whatever AWS's default chain finds on this machine.
        builder.Services.AddSingleton<AWSCredentials>(SqsTestClient.Credentials);
        builder.AddNotifyQueue();
        return builder.Build();
    }
}
