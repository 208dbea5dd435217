using Notify.Metadata.Deliveries.Embedded;
using Notify.Metadata.Deliveries.FanOut;
using Notify.Tests.Support;

namespace Notify.Tests.Deliveries.FanOut;

public sealed class SqliteFanOutProgressTests : FanOutProgressContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteFanOutProgress _progress;

    public SqliteFanOutProgressTests() => _progress = new SqliteFanOutProgress(_directory.File("deliveries.db"), Clock);

    protected override IFanOutProgress Progress => _progress;

    [Fact]
    public async Task ExpiredMarks_AreSweptWithTheDeliveryStore()
    {
        await _progress.SaveAsync("m1", new FanOutMark("s-100", 1), Now.AddHours(1), default);
        var deliveries = new SqliteDeliveryStore(_directory.File("deliveries.db"), TestCipher.Instance, Clock);

        Assert.Equal(0, await deliveries.DeleteExpiredAsync(Now.AddMinutes(59), default));
        Assert.Equal(1, await deliveries.DeleteExpiredAsync(Now.AddHours(1), default));
    }

    public void Dispose() => _directory.Dispose();
}
