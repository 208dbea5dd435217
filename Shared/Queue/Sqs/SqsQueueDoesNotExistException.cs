using Notify.Shared.Dependencies;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// The queue Notify uses does not exist (SQS's <c>QueueDoesNotExist</c>): missing at start-up, or deleted
/// since. The message names the queue and what the operator can do about it. It does not come into being
/// by waiting, so the SDK does not retry it; to callers it is the message queue being unavailable.
/// </summary>
internal sealed class SqsQueueDoesNotExistException(string action, string queue, string advice, Exception? innerException = null)
    : DependencyUnavailableException(
        DependencyNames.Sqs,
        $"The SQS queue '{queue}' does not exist ({action} answered QueueDoesNotExist). {advice}",
        innerException)
{
    /// <summary>The action that found the queue missing, e.g. <c>GetQueueUrl</c>.</summary>
    public string Action { get; } = action;

    /// <summary>The queue's name or URL, as the failed action named it.</summary>
    public string Queue { get; } = queue;
}
