using Microsoft.Extensions.Hosting;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Makes sure the tables exist while the host starts, before the server takes its first call: hosted
/// services start before Kestrel listens, so no request meets a missing table.
/// </summary>
internal sealed class DynamoDbStartup(DynamoDbTables tables) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => tables.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
