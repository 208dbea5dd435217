namespace Notify.Sender.Processing;

/// <summary>What becomes of a queue message once its handling ends.</summary>
internal enum Settlement
{
    /// <summary>Every task succeeded or was given up (or there was nothing to do): delete it.</summary>
    Delete,

    /// <summary>Not delivered by this host (no capacity, or shutting down): make it visible again at once.</summary>
    HandBack,

    /// <summary>Something failed that a later attempt may not: let the visibility timeout bring it back.</summary>
    Leave,
}
