using System.ComponentModel.DataAnnotations;

namespace Notify.Frontend.Dedup;

/// <summary>Publish deduplication (section <c>Notify:Dedup</c>).</summary>
public sealed class DedupOptions
{
    public const string SectionName = "Notify:Dedup";

    /// <summary>How long a dedup id (or Idempotency-Key) is remembered after its first publish was accepted.</summary>
    /// <value>The default is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a claim whose message is not yet queued holds its dedup id. Repeats meanwhile answer 409;
    /// after it, the Frontend that claimed is taken to have died and a repeat is accepted afresh. It must
    /// outlast the slowest queue write (a message still queued after it may then be delivered twice).
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PendingLease { get; set; } = TimeSpan.FromSeconds(30);
}
