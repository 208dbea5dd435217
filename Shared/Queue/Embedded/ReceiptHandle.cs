using System.Globalization;

namespace Notify.Shared.Queue.Embedded;

/// <summary>
/// Names one receipt of one stored message: its row's sequence and the receive count the receipt was
/// issued with. Receiving the message again raises the count, so every earlier handle becomes stale.
/// Rendered as <c>{sequence}.{receiveCount}</c>; callers treat it as opaque.
/// </summary>
internal readonly record struct ReceiptHandle(long Sequence, int ReceiveCount)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Sequence}.{ReceiveCount}");

    /// <exception cref="ArgumentException">The text is not a handle this queue issued.</exception>
    public static ReceiptHandle Parse(string text, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(text, parameterName);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0
            && long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && int.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var receiveCount)
            && receiveCount > 0)
        {
            return new ReceiptHandle(sequence, receiveCount);
        }

        throw new ArgumentException("The receipt handle was not issued by this queue.", parameterName);
    }
}
