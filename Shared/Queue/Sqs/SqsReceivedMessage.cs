namespace Notify.Shared.Queue.Sqs;

/// <summary>A message as <c>ReceiveMessage</c> returns it.</summary>
/// <param name="MessageId">SQS's id for the message.</param>
/// <param name="Attributes">The system attributes asked for, e.g. <c>ApproximateReceiveCount</c>, <c>SentTimestamp</c>.</param>
/// <param name="StringAttributes">The message attributes asked for that carry a string value.</param>
internal sealed record SqsReceivedMessage(
    string MessageId,
    string ReceiptHandle,
    string Body,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> StringAttributes);
