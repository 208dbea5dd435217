namespace Notify.Metadata.Model;

/// <summary>
/// The settings of a topic that may change after it was created, replaced together by
/// <see cref="Store.IMetadataStore.UpdateTopicAsync"/>: null clears a setting.
/// </summary>
public sealed record TopicSettings(string? DisplayName);
