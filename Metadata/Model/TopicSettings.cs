namespace Notify.Metadata.Model;

/// <summary>
/// The settings of a topic that may change after it was created, replaced together by
/// <see cref="Store.IMetadataStore.UpdateTopicAsync"/>: null clears a setting.
/// </summary>
/// <param name="DisplayName">What SMS and email recipients see as the sender.</param>
/// <param name="Retention">How long the topic keeps each message for replay; null keeps none.</param>
public sealed record TopicSettings(string? DisplayName, TimeSpan? Retention = null);
