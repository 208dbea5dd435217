using System.ComponentModel.DataAnnotations;

namespace Notify.Frontend.Dedup;

/// <summary>Publish deduplication (section <c>Notify:Dedup</c>).</summary>
public sealed class DedupOptions
{
    public const string SectionName = "Notify:Dedup";

    /// <summary>How long a dedup id (or Idempotency-Key) is remembered after its first publish.</summary>
    /// <value>The default is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}
