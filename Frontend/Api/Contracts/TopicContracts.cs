using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Notify.Frontend.Validation;
using Notify.Metadata.Model;

namespace Notify.Frontend.Api.Contracts;

/// <param name="Name">The topic's name: 1 to 256 of A-Z, a-z, 0-9, '_' and '-'. Unique; it names the topic in every URL.</param>
/// <param name="Retention">How long the topic keeps each message for replay (ISO 8601 duration); null or left out for none.</param>
public sealed record CreateTopicRequest(
    [property: JsonRequired]
    [property: Description("1 to 256 of A-Z, a-z, 0-9, '_' and '-'; unique.")]
    [property: StringLength(Limits.TopicNameMaxLength, MinimumLength = 1)]
    [property: RegularExpression(TopicNameRule.Pattern)]
    string Name,
    [property: Description(TopicDescriptions.RetentionRequest)]
    string? Retention = null);

public sealed record TopicResponse(
    [property: Description("The topic's name, as in its URL.")] string Name,
    [property: Description("When the topic was created.")] DateTimeOffset CreatedAt,
    [property: Description("A name for people, as SNS's DisplayName: the sender name of its emails. Absent when not set.")] string? DisplayName = null,
    [property: Description("How long the topic keeps each message for replay, an ISO 8601 duration such as P7D; null when it keeps none.")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    string? Retention = null)
{
    public static TopicResponse From(Topic topic) => new(topic.Name, topic.CreatedAt, topic.DisplayName, RetentionRule.Format(topic.Retention));
}

/// <summary>Descriptions shared by the topic requests.</summary>
internal static class TopicDescriptions
{
    public const string RetentionRequest =
        "How long the topic keeps each message for POST /v1/subscriptions/{id}/replay: an ISO 8601 duration from PT1S to P30D, such as P7D or PT1H; null for none.";
}

/// <summary>
/// A JSON merge patch (RFC 7396) of a topic's settings: a field left out stays as it is, <c>null</c>
/// removes it. Each field is kept as raw JSON, so "left out" and "null" stay apart.
/// </summary>
public sealed class UpdateTopicRequest
{
    [Description("A name for people, 1 to 100 characters without control characters; null removes it.")]
    public JsonElement DisplayName { get; init; }

    [Description(TopicDescriptions.RetentionRequest + " Null removes it: messages kept until then expire as they were to.")]
    public JsonElement Retention { get; init; }
}
