using Microsoft.Extensions.Options;
using Notify.Metadata.Cache;
using Notify.Metadata.Model;
using Notify.Tests.Support;

namespace Notify.Tests.Metadata;

/// <summary>The in-process tier: a refill stores its value only if the key was not invalidated since its miss.</summary>
public sealed class InProcessMetadataCacheTests : IDisposable
{
    private static readonly Topic Old = new("orders", DateTimeOffset.UnixEpoch);

    private readonly FakeTimeProvider _clock = new();
    private readonly InProcessMetadataCache _cache;

    public InProcessMetadataCacheTests() =>
        _cache = new InProcessMetadataCache(Options.Create(new MetadataCacheOptions { Ttl = TimeSpan.FromSeconds(10) }), _clock);

    [Fact]
    public async Task Refill_WithNoInvalidationSinceTheMiss_StoresTheValue()
    {
        var miss = await _cache.TryGetAsync<Topic>("topic:orders", default);
        Assert.False(miss.Found);

        await _cache.RefillAsync("topic:orders", Old, miss.Ticket, default);

        Assert.Equal(Old, (await _cache.TryGetAsync<Topic>("topic:orders", default)).Value);
    }

    [Fact]
    public async Task Refill_AfterAnInvalidationSinceTheMiss_StoresNothing()
    {
        var miss = await _cache.TryGetAsync<Topic>("topic:orders", default);

        await _cache.InvalidateAsync("topic:orders", default);
        await _cache.RefillAsync("topic:orders", Old, miss.Ticket, default);

        Assert.False((await _cache.TryGetAsync<Topic>("topic:orders", default)).Found);
    }

    [Fact]
    public async Task Refill_WithTheTicketOfAMissBeforeTheLastInvalidation_StoresNothing_WithTheNewerOne_Stores()
    {
        var before = await _cache.TryGetAsync<Topic>("topic:orders", default);
        await _cache.InvalidateAsync("topic:orders", default);
        var after = await _cache.TryGetAsync<Topic>("topic:orders", default);
        var current = Old with { Name = "current" };

        await _cache.RefillAsync("topic:orders", Old, before.Ticket, default);
        Assert.False((await _cache.TryGetAsync<Topic>("topic:orders", default)).Found);

        await _cache.RefillAsync("topic:orders", current, after.Ticket, default);
        Assert.Equal(current, (await _cache.TryGetAsync<Topic>("topic:orders", default)).Value);
    }

    [Fact]
    public async Task Refill_WithTheDefaultTicket_StoresNothing()
    {
        await _cache.RefillAsync("topic:orders", Old, default, default);

        Assert.False((await _cache.TryGetAsync<Topic>("topic:orders", default)).Found);
    }

    public void Dispose() => _cache.Dispose();
}
