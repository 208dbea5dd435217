namespace Notify.Metadata.Model;

/// <summary>A named channel that publishers send to and endpoints subscribe to.</summary>
public sealed record Topic(string Name, DateTimeOffset CreatedAt)
{
    /// <summary>
    /// SNS's display name: what SMS and email recipients see as the sender; null when none was set. At most
    /// 100 characters, as the API validates; stores keep it as given.
    /// </summary>
    public string? DisplayName { get; init; }

    /// <summary>
    /// How long each message published to the topic is kept for replay (1 second to 30 days, as the API
    /// validates); null when the topic keeps none.
    /// </summary>
    public TimeSpan? Retention { get; init; }
}
