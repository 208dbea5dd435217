using Notify.Metadata.Model;

namespace Notify.Frontend.Api.Contracts;

public sealed record CreateTopicRequest(string? Name);

public sealed record TopicResponse(string Name, DateTimeOffset CreatedAt)
{
    public static TopicResponse From(Topic topic) => new(topic.Name, topic.CreatedAt);
}
