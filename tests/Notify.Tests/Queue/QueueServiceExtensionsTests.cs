using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Embedded;

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
        Assert.Equal(new QueueDepth(1, 0), await queue.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public void AddNotifyQueue_InAwsMode_RegistersNoQueue()
    {
        var builder = CreateBuilder(("Notify:Mode", "Aws"));

        builder.AddNotifyQueue();

        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(IMessageQueue));
    }

    private static HostApplicationBuilder CreateBuilder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        return builder;
    }
}
