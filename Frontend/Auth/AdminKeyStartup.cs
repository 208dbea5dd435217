namespace Notify.Frontend.Auth;

/// <summary>Loads or generates the admin key at start, so a new key is printed before the first request.</summary>
internal sealed class AdminKeyStartup(AdminKey adminKey) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = adminKey.Id;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
