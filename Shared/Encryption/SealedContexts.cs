namespace Notify.Shared.Encryption;

/// <summary>
/// The associated data each stored value is sealed with (<see cref="PayloadCipher"/>): part of the file
/// format, so changing one makes every value written with it unreadable. They also name the value in errors.
/// </summary>
public static class SealedContexts
{
    /// <summary>A body in the embedded queue (<c>queue.db</c>).</summary>
    public static string QueueBody(string messageId) => "queue message " + messageId;

    /// <summary>A dead letter's envelope (<c>deliveries.db</c>).</summary>
    public static string DeadLetter(string subscriptionId, string messageId) => $"dead letter {messageId} of subscription {subscriptionId}";

    /// <summary>A retained message's envelope (<c>deliveries.db</c>).</summary>
    public static string RetainedMessage(string topic, string messageId) => $"retained message {messageId} of topic {topic}";
}
