using Notify.Shared.Messages;

namespace Notify.Sender.Channels.Sms;

/// <summary>The text of an SMS: the message's <c>sms</c> body, cut to what Twilio accepts.</summary>
internal static class SmsBody
{
    /// <summary>The protocol key of SMS bodies in a publish's <c>messages</c>.</summary>
    public const string ProtocolKey = "sms";

    /// <summary>Twilio refuses longer bodies (error 21617); it splits up to this into segments itself.</summary>
    public const int MaxLength = 1600;

    private const string Ellipsis = "…";

    public static string For(Notification notification) => Cut(notification.MessageFor(ProtocolKey));

    /// <summary>Cuts <paramref name="text"/> to <see cref="MaxLength"/> characters with an ellipsis, never inside a surrogate pair.</summary>
    public static string Cut(string text)
    {
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var keep = MaxLength - Ellipsis.Length;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), Ellipsis);
    }
}
