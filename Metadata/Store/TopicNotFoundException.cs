namespace Notify.Metadata.Store;

public sealed class TopicNotFoundException(string topic)
    : Exception($"Topic '{topic}' does not exist.")
{
    public string Topic { get; } = topic;
}
