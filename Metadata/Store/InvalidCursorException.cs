namespace Notify.Metadata.Store;

/// <summary>A cursor that this listing did not produce (tampered, truncated or from another listing).</summary>
public sealed class InvalidCursorException()
    : Exception("The cursor is not valid for this listing; pass the nextCursor value of the previous page unchanged.");
