namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// SQS took a batch request but refused some of its entries (<c>BatchResultErrorEntry</c>), and retrying
/// them cannot help (the request was at fault) or has not helped.
/// </summary>
internal sealed class SqsBatchEntryException : Exception
{
    public SqsBatchEntryException(string action, IReadOnlyList<SqsBatchEntryFailure> failures)
        : base(Describe(action, failures))
    {
        Action = action;
        Failures = failures;
    }

    public string Action { get; }

    public IReadOnlyList<SqsBatchEntryFailure> Failures { get; }

    private static string Describe(string action, IReadOnlyList<SqsBatchEntryFailure> failures)
    {
        var first = failures[0];
        var more = failures.Count > 1 ? $" and {failures.Count - 1} more" : "";
        return $"SQS {action} refused entry {first.Id} with {first.Code} ({(first.SenderFault ? "sender" : "receiver")} fault): {first.Message}{more}";
    }
}
