using Notify.Sender.Channels.Sms;
using Notify.Shared.Messages;

namespace Notify.Tests.Channels;

public sealed class SmsBodyTests
{
    [Fact]
    public void ShortBodies_AreSentAsTheyAre()
    {
        var exactly = new string('a', 1600);
        Assert.Same(exactly, SmsBody.Cut(exactly));
        Assert.Equal("hi", SmsBody.Cut("hi"));
    }

    [Fact]
    public void LongBodies_AreCutTo1600CharactersEndingInAnEllipsis()
    {
        var cut = SmsBody.Cut(new string('a', 1601));
        Assert.Equal(1600, cut.Length);
        Assert.Equal(new string('a', 1599) + "…", cut);
    }

    [Fact]
    public void TheCut_NeverSplitsASurrogatePair()
    {
        // An emoji (two UTF-16 units) straddling the cut is dropped whole, not halved into invalid text.
        var text = new string('a', 1598) + "😀" + new string('b', 10);
        var cut = SmsBody.Cut(text);
        Assert.Equal(new string('a', 1598) + "…", cut);
        Assert.False(char.IsHighSurrogate(cut[^2]));
    }

    [Fact]
    public void TheSmsBody_IsTheMessagesOwn_ElseTheDefault()
    {
        var notification = new Notification
        {
            MessageId = "m",
            Topic = "t",
            Message = "default",
            Messages = new Dictionary<string, string> { ["sms"] = "short", ["email"] = "long" },
            Timestamp = DateTimeOffset.UnixEpoch,
        };
        Assert.Equal("short", SmsBody.For(notification));
        Assert.Equal("default", SmsBody.For(notification with { Messages = null }));
    }
}
