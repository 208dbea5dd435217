namespace Notify.Shared.Queue.Embedded;

/// <summary>One <see cref="IMessageQueue.SendBatchAsync"/> call: its messages, inserted in one group's fsync'd transaction.</summary>
internal sealed class PendingSend : QueuedWrite<bool>
{
    private readonly OutgoingMessage[] _messages;
    private readonly byte[][] _sealedBodies;
    private readonly long _bodyChars;

    /// <param name="sealedBodies">The messages' bodies as stored: encrypted, in the order of the messages.</param>
    public PendingSend(OutgoingMessage[] messages, byte[][] sealedBodies, long bodyChars)
    {
        _messages = messages;
        _sealedBodies = sealedBodies;
        _bodyChars = bodyChars;
    }

    public override bool NeedsFsync => true;

    public override int MessageCount => _messages.Length;

    public override long BodyChars => _bodyChars;

    public override bool WakesReceivers => true;

    public override void Write(QueueStatements statements, long nowMs)
    {
        for (var i = 0; i < _messages.Length; i++)
        {
            statements.Insert(_messages[i].Id, _sealedBodies[i], nowMs, nowMs + DelayMilliseconds(_messages[i].Delay));
        }

        Result = true;
    }

    // Rounded up, so a message never shows before its delay has passed.
    private static long DelayMilliseconds(TimeSpan delay) =>
        (delay.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
}
