using System.Data.Common;
using Microsoft.Data.Sqlite;
using Notify.Metadata.Model;

namespace Notify.Metadata.Store.Embedded;

/// <summary>
/// Topics and subscriptions to and from rows of the metadata file: the column lists every statement
/// selects, the parameters a subscription is written with, and the condition that hides expired pending
/// subscriptions. Times are Unix milliseconds.
/// </summary>
internal static class SqliteRows
{
    public const string TopicColumns = "name, created_at, display_name, retention_seconds";

    /// <summary>How many columns <see cref="TopicColumns"/> selects: the index of one selected after them.</summary>
    public const int TopicColumnCount = 4;

    /// <summary>Sets <c>$retention</c>: whole seconds, null for none.</summary>
    public static void AddRetention(SqliteCommand command, TimeSpan? retention) =>
        command.Parameters.AddWithValue("$retention", Nullable(retention is { } kept ? (long)kept.TotalSeconds : null));

    /// <summary>The columns of a subscription but its signing secrets, the last of them.</summary>
    private const string SubscriptionColumnsBeforeSecrets =
        "id, topic, protocol, endpoint, status, confirm_token_hash, unsubscribe_token_hash, created_at, confirmed_at, " +
        "delivery_error_code, delivery_error_detail, delivery_error_at, filter_policy, expires_at, " +
        "retry_seconds, max_per_second, disabled_code, disabled_detail, disabled_at";

    /// <summary>The columns of a subscription, in <c>subscriptions</c> and <c>deleted_subscriptions</c> alike.</summary>
    public const string SubscriptionColumns = SubscriptionColumnsBeforeSecrets + ", signing_secrets";

    /// <summary>
    /// <see cref="SubscriptionColumns"/> with no signing secrets: what a tombstone keeps of a subscription
    /// (a deleted subscription signs nothing, so its secrets are not kept).
    /// </summary>
    public const string SubscriptionColumnsWithoutSecrets = SubscriptionColumnsBeforeSecrets + ", NULL";

    /// <summary>The parameters <see cref="AddSubscription"/> sets, in the order of <see cref="SubscriptionColumns"/>.</summary>
    public const string SubscriptionValues =
        "$id, $topic, $protocol, $endpoint, $status, $confirm, $unsubscribe, $created, $confirmed, " +
        "$errorCode, $errorDetail, $errorAt, $filterPolicy, $expiresAt, " +
        "$retrySeconds, $maxPerSecond, $disabledCode, $disabledDetail, $disabledAt, $signingSecrets";

    /// <summary>The index of a column selected right after <see cref="SubscriptionColumns"/>.</summary>
    public const int AfterSubscriptionColumns = 20;

    /// <summary>
    /// True for a subscription that has not expired at <c>$liveAt</c> (see <see cref="AddLiveAt"/>): the
    /// rule of <see cref="SubscriptionExpiry.IsExpired"/>, in SQL.
    /// </summary>
    public const string Live = "(status = 'confirmed' OR expires_at IS NULL OR expires_at > $liveAt)";

    public static void AddLiveAt(SqliteCommand command, DateTimeOffset now) =>
        command.Parameters.AddWithValue("$liveAt", now.ToUnixTimeMilliseconds());

    public static void AddSubscription(SqliteCommand command, Subscription subscription)
    {
        command.Parameters.AddWithValue("$id", subscription.Id);
        command.Parameters.AddWithValue("$topic", subscription.Topic);
        command.Parameters.AddWithValue("$protocol", StoredNames.Of(subscription.Protocol));
        command.Parameters.AddWithValue("$endpoint", subscription.Endpoint);
        command.Parameters.AddWithValue("$status", StoredNames.Of(subscription.Status));
        command.Parameters.AddWithValue("$confirm", Nullable(subscription.ConfirmTokenHash));
        command.Parameters.AddWithValue("$unsubscribe", Nullable(subscription.UnsubscribeTokenHash));
        command.Parameters.AddWithValue("$created", subscription.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$confirmed", Nullable(subscription.ConfirmedAt?.ToUnixTimeMilliseconds()));
        AddDeliveryError(command, subscription.LastDeliveryError);
        command.Parameters.AddWithValue("$filterPolicy", Nullable(subscription.FilterPolicy));
        command.Parameters.AddWithValue("$expiresAt", Nullable(subscription.ExpiresAt?.ToUnixTimeMilliseconds()));
        AddDeliveryPolicy(command, subscription.DeliveryPolicy);
        AddDisabledReason(command, subscription.DisabledReason);
        AddSigningSecrets(command, subscription.SigningSecrets);
    }

    /// <summary>Sets <c>$signingSecrets</c>: one text value (<see cref="StoredSigningSecrets"/>), null for none.</summary>
    public static void AddSigningSecrets(SqliteCommand command, SigningSecrets? secrets) =>
        command.Parameters.AddWithValue("$signingSecrets", Nullable(secrets is null ? null : StoredSigningSecrets.Format(secrets)));

    /// <summary>Sets <c>$retrySeconds</c> and <c>$maxPerSecond</c>, each null when the policy does not set it.</summary>
    public static void AddDeliveryPolicy(SqliteCommand command, DeliveryPolicy? policy)
    {
        command.Parameters.AddWithValue("$retrySeconds", Nullable(policy?.RetrySeconds is { } seconds ? StoredNames.OfRetrySeconds(seconds) : null));
        command.Parameters.AddWithValue("$maxPerSecond", Nullable(policy?.MaxPerSecond));
    }

    /// <summary>Sets <c>$disabledCode</c>, <c>$disabledDetail</c> and <c>$disabledAt</c>, all null for none.</summary>
    public static void AddDisabledReason(SqliteCommand command, DeliveryError? reason)
    {
        command.Parameters.AddWithValue("$disabledCode", Nullable(reason?.Code));
        command.Parameters.AddWithValue("$disabledDetail", Nullable(reason?.Detail));
        command.Parameters.AddWithValue("$disabledAt", Nullable(reason?.At.ToUnixTimeMilliseconds()));
    }

    /// <summary>Sets <c>$errorCode</c>, <c>$errorDetail</c> and <c>$errorAt</c>, all null for no error.</summary>
    public static void AddDeliveryError(SqliteCommand command, DeliveryError? error)
    {
        command.Parameters.AddWithValue("$errorCode", Nullable(error?.Code));
        command.Parameters.AddWithValue("$errorDetail", Nullable(error?.Detail));
        command.Parameters.AddWithValue("$errorAt", Nullable(error?.At.ToUnixTimeMilliseconds()));
    }

    public static object Nullable(object? value) => value ?? DBNull.Value;

    public static Topic ReadTopic(DbDataReader reader) =>
        new(reader.GetString(0), Time(reader, 1))
        {
            DisplayName = reader.IsDBNull(2) ? null : reader.GetString(2),
            Retention = reader.IsDBNull(3) ? null : TimeSpan.FromSeconds(reader.GetInt64(3)),
        };

    public static Subscription ReadSubscription(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Topic = reader.GetString(1),
        Protocol = StoredNames.ParseProtocol(reader.GetString(2)),
        Endpoint = reader.GetString(3),
        Status = StoredNames.ParseStatus(reader.GetString(4)),
        ConfirmTokenHash = reader.IsDBNull(5) ? null : reader.GetString(5),
        UnsubscribeTokenHash = reader.IsDBNull(6) ? null : reader.GetString(6),
        CreatedAt = Time(reader, 7),
        ConfirmedAt = reader.IsDBNull(8) ? null : Time(reader, 8),
        LastDeliveryError = reader.IsDBNull(9) ? null : new DeliveryError(reader.GetString(9), reader.GetString(10), Time(reader, 11)),
        FilterPolicy = reader.IsDBNull(12) ? null : reader.GetString(12),
        ExpiresAt = reader.IsDBNull(13) ? null : Time(reader, 13),
        DeliveryPolicy = ReadDeliveryPolicy(reader, 14, 15),
        DisabledReason = reader.IsDBNull(16) ? null : new DeliveryError(reader.GetString(16), reader.GetString(17), Time(reader, 18)),
        SigningSecrets = reader.IsDBNull(19) ? null : StoredSigningSecrets.Parse(reader.GetString(19)),
    };

    /// <summary>A policy stored with neither member set is no policy: both columns null read as null.</summary>
    private static DeliveryPolicy? ReadDeliveryPolicy(DbDataReader reader, int retryOrdinal, int rateOrdinal)
    {
        var retry = reader.IsDBNull(retryOrdinal) ? null : StoredNames.ParseRetrySeconds(reader.GetString(retryOrdinal));
        double? rate = reader.IsDBNull(rateOrdinal) ? null : reader.GetDouble(rateOrdinal);
        return retry is null && rate is null ? null : new DeliveryPolicy(retry, rate);
    }

    /// <summary>The single subscription the command returns, or null when it returns none.</summary>
    public static async Task<Subscription?> ReadSubscriptionAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSubscription(reader) : null;
    }

    public static async Task<List<Subscription>> ReadSubscriptionsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var items = new List<Subscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadSubscription(reader));
        }

        return items;
    }

    public static DateTimeOffset Time(DbDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
