namespace Notify.Metadata.Keys;

/// <summary>
/// The rates a key is throttled to, each null when the key sets none (the server's defaults apply). Kept
/// with the key and handed to the throttle as claims; the key store does not enforce them.
/// </summary>
public sealed record ApiKeyRateLimit(double? PublishPerSecond, int? PublishBurst, double? RequestsPerSecond, int? RequestsBurst);
