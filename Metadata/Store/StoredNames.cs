using Notify.Metadata.Model;

namespace Notify.Metadata.Store;

/// <summary>
/// How protocols and statuses are written in every store (the API's names), so the stores agree and a
/// renamed enum member cannot silently change stored data.
/// </summary>
internal static class StoredNames
{
    public static string Of(Protocol protocol) => protocol switch
    {
        Protocol.Webhook => "webhook",
        Protocol.Email => "email",
        Protocol.Sms => "sms",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    public static string Of(SubscriptionStatus status) =>
        status == SubscriptionStatus.Confirmed ? "confirmed" : "pending";

    public static Protocol ParseProtocol(string name) => name switch
    {
        "webhook" => Protocol.Webhook,
        "email" => Protocol.Email,
        "sms" => Protocol.Sms,
        _ => throw new InvalidDataException($"Unknown protocol '{name}' in the metadata store."),
    };

    public static SubscriptionStatus ParseStatus(string name) =>
        name == "confirmed" ? SubscriptionStatus.Confirmed : SubscriptionStatus.Pending;
}
