namespace Notify.TestServers;

/// <summary>
/// How many SMS segments a body takes, for the <c>num_segments</c> Twilio reports: GSM-7 when every
/// character is in the GSM 03.38 alphabet (160 in one segment, 153 per segment when split; the extension
/// characters take two), otherwise UCS-2 (70, or 67 per segment, in UTF-16 code units).
/// </summary>
/// <remarks>
/// An approximation of the carrier's split: a real one never cuts an extension character or a surrogate
/// pair in two, which can add a segment at a boundary. Twilio's Smart Encoding (curly quotes to straight
/// ones) is not done.
/// </remarks>
internal static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    public static int Count(string body)
    {
        var septets = 0;
        foreach (var c in body)
        {
            if (Basic.Contains(c, StringComparison.Ordinal))
            {
                septets++;
            }
            else if (Extension.Contains(c, StringComparison.Ordinal))
            {
                septets += 2;
            }
            else
            {
                return Split(body.Length, single: 70, perPart: 67);
            }
        }

        return Split(septets, single: 160, perPart: 153);
    }

    private static int Split(int units, int single, int perPart) =>
        units <= single ? 1 : (units + perPart - 1) / perPart;
}
