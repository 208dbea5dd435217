namespace Notify.Cdk.Data;

public sealed class NotifyDataProps
{
    public required string ResourcePrefix { get; init; }

    public IReadOnlyList<TableShape> Tables { get; init; } = NotifyTableShapes.All;

    /// <summary>Keep the tables when the stack (or this construct) is deleted.</summary>
    /// <value>The default is true: deleting the stack never deletes subscriptions by surprise.</value>
    public bool Retain { get; init; } = true;
}
