using System.Net;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// The queue an action named does not exist (<c>AWS.SimpleQueueService.NonExistentQueue</c>). Never
/// retried: it does not come into being by waiting.
/// </summary>
internal sealed class SqsQueueDoesNotExistException : SqsException
{
    public SqsQueueDoesNotExistException(string action, HttpStatusCode statusCode, SqsError error, string queue, string? advice = null)
        : base(action, statusCode, error)
    {
        Queue = queue;
        Advice = advice;
    }

    /// <summary>The queue's name or URL, as the failed action named it.</summary>
    public string Queue { get; }

    /// <summary>What the operator can do about it; depends on who was meant to create the queue.</summary>
    public string? Advice { get; }

    public override string Message =>
        $"The SQS queue '{Queue}' does not exist ({Action} answered {Code}).{(Advice is null ? "" : " " + Advice)}";

    /// <summary>The same error, with advice that only the caller knows how to give.</summary>
    public SqsQueueDoesNotExistException WithAdvice(string advice) => new(Action, StatusCode, Error, Queue, advice);
}
