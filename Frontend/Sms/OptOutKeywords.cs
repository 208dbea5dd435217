namespace Notify.Frontend.Sms;

/// <summary>
/// The replies that opt a number out of SMS, or back in: Twilio's default opt-out and opt-in keywords
/// and the ones Amazon SNS honours, matched as the whole message, ignoring case and surrounding spaces.
/// </summary>
internal static class OptOutKeywords
{
    private static readonly HashSet<string> OptOut = new(StringComparer.OrdinalIgnoreCase)
    {
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT-OUT", "REMOVE", "ARRET", "TD",
    };

    private static readonly HashSet<string> OptIn = new(StringComparer.OrdinalIgnoreCase) { "START", "UNSTOP" };

    /// <returns>True for an opt-out word, false for an opt-in word, null for anything else.</returns>
    public static bool? Classify(string? body)
    {
        var word = body?.Trim().TrimEnd('.', '!');
        if (string.IsNullOrEmpty(word))
        {
            return null;
        }

        return OptOut.Contains(word) ? true : OptIn.Contains(word) ? false : null;
    }
}
