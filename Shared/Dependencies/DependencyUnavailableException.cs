namespace Notify.Shared.Dependencies;

/// <summary>
/// Something Notify stands on (the message queue, the metadata database, the dedup store, the data files)
/// could not be reached or could not take the request, after its client's own retries. Queues and stores
/// throw this one type, naming the dependency, in place of their clients' outage exceptions (kept as the
/// inner exception); the API answers it with 503 and <c>Retry-After</c>.
/// </summary>
/// <remarks>Never thrown for what the caller sent, nor for a defect: those keep their own exceptions.</remarks>
public class DependencyUnavailableException : Exception
{
    public DependencyUnavailableException(string dependency, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Dependency = dependency;
    }

    /// <summary>What is unavailable, as an operator reads it: e.g. "the message queue (SQS)".</summary>
    public string Dependency { get; }
}
