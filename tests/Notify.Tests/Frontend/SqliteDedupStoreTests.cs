using Microsoft.Extensions.Options;
using Notify.Frontend.Dedup;
using Notify.Tests.Support;

namespace Notify.Tests.Frontend;

public sealed class SqliteDedupStoreTests : DedupStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new();

    protected override IDedupStore NewStore() =>
        new SqliteDedupStore(_directory.File("dedup.db"), Options.Create(new DedupOptions { Window = Window }), _clock);

    protected override Task PassTimeAsync(TimeSpan by)
    {
        _clock.Advance(by);
        return Task.CompletedTask;
    }

    public void Dispose() => _directory.Dispose();
}
