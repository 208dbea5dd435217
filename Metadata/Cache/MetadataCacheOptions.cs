using System.ComponentModel.DataAnnotations;

namespace Notify.Metadata.Cache;

/// <summary>The metadata cache (section <c>Notify:Cache</c>).</summary>
public sealed class MetadataCacheOptions
{
    public const string SectionName = "Notify:Cache";

    /// <summary>
    /// How long a cached topic or subscriber list may be served. Changes made in this process invalidate
    /// at once; the TTL bounds how stale another process's cache (a standalone Sender) can be.
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound on in-process cache entries (each topic and each subscriber list counts one).</summary>
    /// <value>The default is 100,000 entries.</value>
    [Range(100, 10_000_000)]
    public int MaxEntries { get; set; } = 100_000;
}
