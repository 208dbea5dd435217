namespace Notify.IntegrationTests.Support;

/// <summary>One embedded Notify process shared by the tests of a class that only read their own answers.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public NotifyService Notify { get; private set; } = null!;

    public async Task InitializeAsync() => Notify = await NotifyService.StartAsync();

    public async Task DisposeAsync() => await Notify.DisposeAsync();
}

/// <summary>One Aws-mode Notify (a Frontend and a Sender) shared by the tests of a class.</summary>
public sealed class AwsServiceFixture : IAsyncLifetime
{
    public NotifyService Notify { get; private set; } = null!;

    public async Task InitializeAsync() => Notify = await NotifyService.StartAsync(deployment: Deployment.Aws);

    public async Task DisposeAsync() => await Notify.DisposeAsync();
}
