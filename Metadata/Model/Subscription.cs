namespace Notify.Metadata.Model;

/// <summary>
/// One endpoint's subscription to a topic. Its confirm and unsubscribe links' tokens are capabilities,
/// derived from the link key and its id (<c>Notify.Shared.Links.LinkTokens</c>), never stored.
/// </summary>
public sealed record Subscription
{
    /// <summary>A <see cref="Notify.Shared.Ids.SortableId"/>, so paging by id is paging by creation time.</summary>
    public required string Id { get; init; }
    public required string Topic { get; init; }
    public required Protocol Protocol { get; init; }
    public required string Endpoint { get; init; }
    public required SubscriptionStatus Status { get; init; }

    /// <summary>
    /// The SHA-256 (lowercase hex) of the confirm token issued at random to a subscription created before
    /// tokens were derived, so that the links already sent to it keep working; null for the others.
    /// </summary>
    public string? ConfirmTokenHash { get; init; }

    /// <summary>As <see cref="ConfirmTokenHash"/>, for the unsubscribe token.</summary>
    public string? UnsubscribeTokenHash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }

    /// <summary>
    /// The latest permanent refusal of a delivery to this endpoint, null when there has been none: kept so
    /// that the Sender can stop sending where providers will never deliver, and operators can see why.
    /// </summary>
    public DeliveryError? LastDeliveryError { get; init; }

    /// <summary>
    /// An SNS-style filter policy as JSON text, validated by the API and kept by the stores as opaque text
    /// (up to 16 KiB); null when the subscription gets every message of its topic.
    /// </summary>
    public string? FilterPolicy { get; init; }

    /// <summary>
    /// For a pending subscription, when it is deleted unless confirmed first: from then on every read treats
    /// it as absent, and a new subscribe of the same endpoint replaces it. Set by whoever subscribes; null
    /// once confirmed, and a subscription whose value is null never expires.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Its own retry schedule and pace; null for its protocol's defaults.</summary>
    public DeliveryPolicy? DeliveryPolicy { get; init; }

    /// <summary>Why and when it was disabled, while <see cref="Status"/> is <see cref="SubscriptionStatus.Disabled"/>; else null.</summary>
    public DeliveryError? DisabledReason { get; init; }

    /// <summary>
    /// What its webhook deliveries are signed with; null for other protocols, and for webhook subscriptions
    /// made before deliveries were signed (unsigned until their secret is first rotated). Never in API
    /// answers, except once, when made.
    /// </summary>
    public SigningSecrets? SigningSecrets { get; init; }
}
