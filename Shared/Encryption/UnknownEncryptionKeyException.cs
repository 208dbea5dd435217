using Notify.Shared.Dependencies;

namespace Notify.Shared.Encryption;

/// <summary>
/// A stored value was encrypted under a key that is neither <c>Notify:Encryption:Key</c> nor one of the
/// previous keys. An outage of configuration rather than a defect: the data is intact and becomes
/// readable once the key is given back, so it is answered 503 and retried like any unavailable dependency.
/// </summary>
public sealed class UnknownEncryptionKeyException(string message)
    : DependencyUnavailableException("the key its data files were encrypted with (see the log)", message);
