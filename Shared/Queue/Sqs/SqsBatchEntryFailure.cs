namespace Notify.Shared.Queue.Sqs;

/// <summary>One entry of a batch that SQS refused (<c>BatchResultErrorEntry</c>).</summary>
/// <param name="Id">
/// The entry's id: as sent in the batch request when <see cref="SqsClient"/> reports it, the Notify message id
/// when <see cref="SqsMessageQueue"/> does.
/// </param>
/// <param name="SenderFault">True when the entry itself is wrong; false when SQS failed and a retry may succeed.</param>
internal sealed record SqsBatchEntryFailure(string Id, string Code, string Message, bool SenderFault);
