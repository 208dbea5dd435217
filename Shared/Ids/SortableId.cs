using System.Security.Cryptography;

namespace Notify.Shared.Ids;

/// <summary>
/// 32 hex digits whose string order is creation order within a process and time order across
/// processes: 48 bits of Unix milliseconds and a 12-bit sequence (as UUIDv7's method 1 counter), then
/// 68 random bits for uniqueness across hosts. <see cref="Guid.CreateVersion7()"/> alone is not
/// monotonic within one millisecond, and subscription listings page in id order.
/// </summary>
public static class SortableId
{
    private static long _last;

    /// <summary>
    /// The least id that can be made at <paramref name="time"/> or later (by string order): its first 15 digits,
    /// the millisecond with a zero sequence. Ids made in the same millisecond may sort after a later one's
    /// bound when a process makes more than 4,096 in it, so a bound is a key range's edge, never an exact cut.
    /// </summary>
    public static string LowerBound(DateTimeOffset time) =>
        (Math.Max(0, time.ToUnixTimeMilliseconds()) << 12).ToString("x15", System.Globalization.CultureInfo.InvariantCulture);

    public static string New(TimeProvider timeProvider)
    {
        var candidate = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() << 12;
        long value;
        long last;
        do
        {
            last = Volatile.Read(ref _last);
            value = Math.Max(candidate, last + 1);
        }
        while (Interlocked.CompareExchange(ref _last, value, last) != last);

        Span<byte> random = stackalloc byte[9];
        RandomNumberGenerator.Fill(random);
        return string.Create(32, (value, random.ToArray()), static (chars, state) =>
        {
            state.value.TryFormat(chars[..15], out _, "x15");
            Convert.ToHexStringLower(state.Item2).AsSpan(0, 17).CopyTo(chars[15..]);
        });
    }
}
