namespace Notify.Frontend.Dedup;

/// <summary>
/// No dedup store could be asked whether a keyed publish is a repeat, so it was not accepted. The API
/// answers 503: nothing was queued, and a retry with the same dedup id is safe.
/// </summary>
public sealed class DedupUnavailableException(string message) : Exception(message);
