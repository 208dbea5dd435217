namespace Notify.Shared.Queue.Sqs;

/// <summary>One entry of a batch that SQS refused (<c>BatchResultErrorEntry</c>).</summary>
/// <param name="Id">The Notify id of the message the entry carried.</param>
/// <param name="SenderFault">True when the entry itself is wrong; false when SQS failed and a retry may succeed.</param>
internal sealed record SqsBatchEntryFailure(string Id, string Code, string Message, bool SenderFault);
