using Notify.Sender.Retrieval;

namespace Notify.Tests.Sender;

public sealed class AdaptiveConcurrencyTests
{
    [Fact]
    public async Task StartsAtTheMinimum_SoAnIdleHostPollsOnce()
    {
        using var concurrency = new AdaptiveConcurrency(min: 1, max: 4);

        await concurrency.WaitAsync(CancellationToken.None);
        var second = concurrency.WaitAsync(CancellationToken.None);

        Assert.Equal(1, concurrency.Limit);
        Assert.False(second.IsCompleted);
    }

    [Fact]
    public async Task Grow_AfterAFullBatch_LetsOneMoreRetrieverIn()
    {
        using var concurrency = new AdaptiveConcurrency(min: 1, max: 4);
        await concurrency.WaitAsync(CancellationToken.None);
        var waiting = concurrency.WaitAsync(CancellationToken.None);

        Assert.True(concurrency.Grow());

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, concurrency.Limit);
    }

    [Fact]
    public void Grow_StopsAtTheMaximum()
    {
        using var concurrency = new AdaptiveConcurrency(min: 1, max: 3);

        var grown = Enumerable.Range(0, 10).Count(_ => concurrency.Grow());

        Assert.Equal(2, grown);
        Assert.Equal(3, concurrency.Limit);
        Assert.Equal(3, concurrency.Available);
    }

    [Fact]
    public async Task Shrink_AfterAnEmptyReceive_WithholdsTheNextReleasedPermit()
    {
        using var concurrency = new AdaptiveConcurrency(min: 1, max: 4);
        concurrency.Grow();
        await concurrency.WaitAsync(CancellationToken.None);
        await concurrency.WaitAsync(CancellationToken.None);

        Assert.True(concurrency.Shrink());
        concurrency.Release();
        concurrency.Release();

        Assert.Equal(1, concurrency.Limit);
        Assert.Equal(1, concurrency.Available);
    }

    [Fact]
    public async Task Shrink_StopsAtTheMinimum()
    {
        using var concurrency = new AdaptiveConcurrency(min: 2, max: 4);
        concurrency.Grow();
        concurrency.Grow();
        for (var i = 0; i < 4; i++)
        {
            await concurrency.WaitAsync(CancellationToken.None);
        }

        var shrunk = Enumerable.Range(0, 10).Count(_ => concurrency.Shrink());
        for (var i = 0; i < 4; i++)
        {
            concurrency.Release();
        }

        Assert.Equal(2, shrunk);
        Assert.Equal(2, concurrency.Limit);
        Assert.Equal(2, concurrency.Available);
    }

    [Fact]
    public async Task GrowAfterAPendingShrink_CancelsItInsteadOfAddingAPermit()
    {
        using var concurrency = new AdaptiveConcurrency(min: 1, max: 2);
        concurrency.Grow();
        await concurrency.WaitAsync(CancellationToken.None);

        concurrency.Shrink();
        concurrency.Grow();
        concurrency.Release();

        Assert.Equal(2, concurrency.Limit);
        Assert.Equal(2, concurrency.Available);
    }
}
