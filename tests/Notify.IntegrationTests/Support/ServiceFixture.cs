namespace Notify.IntegrationTests.Support;

/// <summary>One Notify process shared by the tests of a class that only read their own answers.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public NotifyService Notify { get; private set; } = null!;

    public async Task InitializeAsync() => Notify = await NotifyService.StartAsync();

    public async Task DisposeAsync() => await Notify.DisposeAsync();
}
