namespace Notify.Shared.Queue.Sqs;

/// <summary>One message of a <c>SendMessageBatch</c>.</summary>
/// <param name="Id">Names the entry within its batch: 1 to 80 of <c>A-Z a-z 0-9 - _</c>, distinct in the batch.</param>
/// <param name="StringAttributes">Message attributes of data type <c>String</c>; they count toward SQS's size limit.</param>
internal sealed record SqsSendEntry(string Id, string Body, IReadOnlyDictionary<string, string>? StringAttributes = null);
