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

    public static string Of(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Pending => "pending",
        SubscriptionStatus.Confirmed => "confirmed",
        SubscriptionStatus.Disabled => "disabled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static Protocol ParseProtocol(string name) => name switch
    {
        "webhook" => Protocol.Webhook,
        "email" => Protocol.Email,
        "sms" => Protocol.Sms,
        _ => throw new InvalidDataException($"Unknown protocol '{name}' in the metadata store."),
    };

    public static SubscriptionStatus ParseStatus(string name) => name switch
    {
        "pending" => SubscriptionStatus.Pending,
        "confirmed" => SubscriptionStatus.Confirmed,
        "disabled" => SubscriptionStatus.Disabled,
        _ => throw new InvalidDataException($"Unknown subscription status '{name}' in the metadata store."),
    };

    /// <summary>
    /// A retry schedule as stored: whole seconds separated by commas, the empty text for no retry (a
    /// schedule of its own with no retry, unlike a null schedule, which means the protocol's).
    /// </summary>
    public static string OfRetrySeconds(IReadOnlyList<int> seconds) =>
        string.Join(',', seconds.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static IReadOnlyList<int> ParseRetrySeconds(string text) =>
        text.Length == 0 ? [] : [.. text.Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];
}
