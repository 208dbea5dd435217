namespace Notify.Metadata.Model;

/// <summary>
/// The settings of a subscription that may change after it was created, replaced together by
/// <see cref="Store.IMetadataStore.UpdateSubscriptionAsync"/>: null clears a setting.
/// </summary>
public sealed record SubscriptionSettings(string? FilterPolicy, DeliveryPolicy? DeliveryPolicy = null);
