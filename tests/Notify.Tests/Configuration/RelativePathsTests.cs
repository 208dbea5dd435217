using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;
using Notify.Shared.Email;
using Notify.Tests.Support;

namespace Notify.Tests.Configuration;

/// <summary>
/// Relative folders in the settings, as <c>dotnet run --project Frontend</c> and <c>--project Sender</c>
/// see them: each runs with its own project folder as content root, inside one checkout.
/// </summary>
public sealed class RelativePathsTests : IDisposable
{
    private readonly TempDirectory _checkout = new();
    private readonly string _frontend;
    private readonly string _sender;

    public RelativePathsTests()
    {
        File.WriteAllText(_checkout.File(RelativePaths.CheckoutMarker), "");
        _frontend = Directory.CreateDirectory(_checkout.File("Frontend")).FullName;
        _sender = Directory.CreateDirectory(_checkout.File("Sender")).FullName;
    }

    public void Dispose() => _checkout.Dispose();

    [Fact]
    public void Resolve_FromTwoProjectFoldersOfOneCheckout_GivesOneFolderAtTheCheckoutsRoot()
    {
        var fromFrontend = RelativePaths.Resolve("data", _frontend);
        var fromSender = RelativePaths.Resolve("data", _sender);

        Assert.Equal(_checkout.File("data"), fromFrontend);
        Assert.Equal(fromFrontend, fromSender);
    }

    [Fact]
    public void Resolve_FromABuildOutputDeepInsideTheCheckout_GivesTheCheckoutsFolder()
    {
        var output = Directory.CreateDirectory(Path.Combine(_sender, "bin", "Debug", "net10.0")).FullName;

        Assert.Equal(_checkout.File("mail"), RelativePaths.Resolve("mail", output));
    }

    [Fact]
    public void Resolve_FromTheCheckoutsRootItself_GivesItsFolder()
    {
        Assert.Equal(_checkout.File(Path.Combine("state", "data")), RelativePaths.Resolve(Path.Combine("state", "data"), _checkout.Path));
    }

    [Fact]
    public void Resolve_OutsideAnyCheckout_GivesAFolderUnderTheContentRoot()
    {
        using var published = new TempDirectory();

        Assert.Equal(published.File("data"), RelativePaths.Resolve("data", published.Path));
        Assert.Equal(published.Path, RelativePaths.BaseFor(published.Path));
    }

    [Fact]
    public void Resolve_AnAbsolutePath_LeavesItAsItIs()
    {
        using var elsewhere = new TempDirectory();

        Assert.Equal(elsewhere.File("data"), RelativePaths.Resolve(elsewhere.File("data"), _frontend));
    }

    [Fact]
    public void Options_OfTwoHostsInOneCheckout_NameTheSameDataAndPickupFolders()
    {
        (string, string)[] settings = [("Notify:Email:PickupDirectory", "mail"), ("Notify:Email:From", "notify@localhost")];
        var frontend = OptionsFor(_frontend, settings);
        var sender = OptionsFor(_sender, settings);

        Assert.Equal(_checkout.File("data"), frontend.Notify.DataDirectory);
        Assert.Equal(frontend.Notify.DataDirectory, sender.Notify.DataDirectory);
        Assert.Equal(_checkout.File("mail"), frontend.Email.PickupDirectory);
        Assert.Equal(frontend.Email.PickupDirectory, sender.Email.PickupDirectory);
    }

    [Fact]
    public void Options_WithAnAbsoluteDataDirectory_KeepIt()
    {
        using var elsewhere = new TempDirectory();

        var options = OptionsFor(_sender, ("Notify:DataDirectory", elsewhere.Path));

        Assert.Equal(elsewhere.Path, options.Notify.DataDirectory);
        Assert.Null(options.Email.PickupDirectory);
    }

    private static (NotifyOptions Notify, EmailOptions Email) OptionsFor(string contentRoot, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Services.AddNotifyOptions();
        builder.Services.AddNotifyOptions();
        builder.Services.AddNotifyChannelOptions();
        using var host = builder.Build();
        return (host.Services.GetRequiredService<IOptions<NotifyOptions>>().Value, host.Services.GetRequiredService<IOptions<EmailOptions>>().Value);
    }
}
