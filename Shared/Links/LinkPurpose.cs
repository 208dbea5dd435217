namespace Notify.Shared.Links;

/// <summary>What a link's token allows: each purpose gets its own token, so a confirm link cannot unsubscribe.</summary>
public enum LinkPurpose
{
    Confirm,
    Unsubscribe,
}
