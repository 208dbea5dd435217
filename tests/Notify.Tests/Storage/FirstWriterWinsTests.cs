using Notify.Shared.Storage;
using Notify.Tests.Support;

namespace Notify.Tests.Storage;

public sealed class FirstWriterWinsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task ManyWritersAtOnce_ExactlyOneCreatesTheFile_AndItHoldsThatWritersContent()
    {
        var path = _directory.File("generated.key");
        using var start = new Barrier(16);
        // A thread each (not the pool's, which would start them one by one), released together.
        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return (Writer: i, Created: FirstWriterWins.TryCreate(path, $"content of writer {i}\n"));
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        var winner = Assert.Single(created, c => c.Created);
        Assert.Equal($"content of writer {winner.Writer}\n", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void AnExistingFile_IsNeverReplaced()
    {
        var path = _directory.File("generated.key");
        File.WriteAllText(path, "first");

        Assert.False(FirstWriterWins.TryCreate(path, "second"));
        Assert.Equal("first", File.ReadAllText(path));
    }

    [Fact]
    public void TheFileItCreates_IsOwnerOnly()
    {
        var path = _directory.File("generated.key");

        Assert.True(FirstWriterWins.TryCreate(path, "secret"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(path));
        }
    }

    public void Dispose() => _directory.Dispose();
}
