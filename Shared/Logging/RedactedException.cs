namespace Notify.Shared.Logging;

/// <summary>
/// Stands in for a logged exception whose text named a URL, an address or a query: formatters print
/// <see cref="ToString"/>, which is the original's (type, message, inner exceptions, stack) after
/// <see cref="Redact.Text"/>.
/// </summary>
internal sealed class RedactedException(Exception original, string redactedText)
    : Exception(Redact.Text(original.Message))
{
    /// <summary>The original exception's type, for sinks that record it apart from the text.</summary>
    public string OriginalType { get; } = original.GetType().FullName ?? original.GetType().Name;

    public override string? StackTrace => null;

    public override string ToString() => redactedText;
}
