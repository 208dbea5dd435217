namespace Notify.Metadata.Keys;

/// <summary>What a scoped key may do on its topics; the API names are the lower-case member names.</summary>
public enum ApiKeyPermission
{
    Publish,
    Subscribe,
    Manage,
    Read,
}
