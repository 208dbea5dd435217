namespace Notify.Shared.Queue.Sqs;

/// <summary>The parameters of one <c>ReceiveMessage</c>.</summary>
/// <param name="MaxNumberOfMessages">1 to 10.</param>
/// <param name="VisibilityTimeoutSeconds">0 to 43200; null keeps the queue's default.</param>
/// <param name="WaitTimeSeconds">0 to 20 (long polling); null keeps the queue's default.</param>
/// <param name="AttributeNames">System attributes to return, e.g. <c>All</c> or <c>ApproximateReceiveCount</c>.</param>
/// <param name="MessageAttributeNames">Message attributes to return, e.g. <c>All</c>.</param>
internal sealed record SqsReceiveRequest(
    int MaxNumberOfMessages,
    int? VisibilityTimeoutSeconds = null,
    int? WaitTimeSeconds = null,
    IReadOnlyList<string>? AttributeNames = null,
    IReadOnlyList<string>? MessageAttributeNames = null);
