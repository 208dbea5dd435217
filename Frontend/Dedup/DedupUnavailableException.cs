using Notify.Shared.Dependencies;

namespace Notify.Frontend.Dedup;

/// <summary>
/// No node of the Redis ring could be asked whether a keyed publish is a repeat, so it was not accepted.
/// The API answers 503 with this message: nothing was queued, and a retry with the same dedup id is safe.
/// </summary>
public sealed class DedupUnavailableException(string message) : DependencyUnavailableException(DependencyNames.DedupRing, message);
