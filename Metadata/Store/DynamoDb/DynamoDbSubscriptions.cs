using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Model;
using static Notify.Metadata.Store.DynamoDb.MetadataItems;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Subscription items and their lookups: the subscription half of <see cref="DynamoDbMetadataStore"/>,
/// whose summary gives the layout and the write orders followed here.
/// </summary>
internal sealed class DynamoDbSubscriptions(MetadataTable table, DynamoDbTombstones tombstones, TimeProvider clock)
{
    // A subscribe retries when what blocked its conditional write is gone by the time it reads it (deleted
    // or replaced in between). Each retry needs another concurrent write, so a few attempts are plenty.
    private const int MaxAttempts = 5;

    public async Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken)
    {
        var lookup = MetadataKeys.Lookup(candidate.Id);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var topic = await table.GetTopicAsync(candidate.Topic, cancellationToken) ?? throw new TopicNotFoundException(candidate.Topic);
            var item = SubscriptionItem(candidate, topic.Incarnation);

            await table.PutAsync(LookupItem(candidate, topic.Incarnation), cancellationToken);
            if (await table.TryPutAsync(item, cancellationToken))
            {
                return (ReadSubscription(item), true);
            }

            var now = clock.GetUtcNow();
            if (await table.GetAsync(MetadataTable.Key(item), cancellationToken) is { } existing)
            {
                var holder = ReadSubscription(existing);
                if (!holder.IsExpired(now))
                {
                    await table.DeleteAsync(lookup, cancellationToken);
                    return (holder, false);
                }

                if (await TryReplaceExpiredAsync(item, holder.Id, now, cancellationToken))
                {
                    // The replaced subscription's lookup now names an item holding another id: invisible,
                    // and deleted here rather than left to its TTL.
                    await table.DeleteAsync(MetadataKeys.Lookup(holder.Id), cancellationToken);
                    return (ReadSubscription(item), true);
                }
            }

            await table.DeleteAsync(lookup, cancellationToken);
        }

        throw new InvalidOperationException($"The subscription to '{candidate.Topic}' was deleted {MaxAttempts} times while being created; try again.");
    }

    public async Task<Subscription?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (await table.GetPointerAsync(id, cancellationToken) is not { } pointer)
        {
            return null;
        }

        var read = table.GetAsync(pointer.SubscriptionKey, cancellationToken);
        var live = table.IsLiveAsync(pointer, cancellationToken);
        await Task.WhenAll(read, live);
        var item = await read;
        if (!await live || item is null || !Holds(item, id))
        {
            return null;
        }

        var subscription = ReadSubscription(item);
        return subscription.IsExpired(clock.GetUtcNow()) ? null : subscription;
    }

    public async Task<Page<Subscription>> ListAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var listing = "subscriptions:" + topic;
        var after = Cursor.Decode(listing, cursor);
        if (await table.GetTopicAsync(topic, cancellationToken) is not { } stored)
        {
            return new Page<Subscription>([], null);
        }

        var request = PartitionQuery(stored, after);
        request.FilterExpression = LiveSubscription.Condition;
        LiveSubscription.Bind(request.ExpressionAttributeNames, request.ExpressionAttributeValues, clock.GetUtcNow());
        var items = await table.QueryAsync(request, limit + 1, cancellationToken);
        return PageCut.ToPage(items.ConvertAll(ReadSubscription), limit, s => Cursor.Encode(listing, s.Id));
    }

    public async Task<SubscriberPage> GetConfirmedPageAsync(string topic, string? after, string? through, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var empty = after is not null && through is not null && string.CompareOrdinal(through, after) <= 0;
        if (empty || await table.GetTopicAsync(topic, cancellationToken) is not { } stored)
        {
            return new SubscriberPage([], null, limit);
        }

        var request = PartitionQuery(stored, after, through);
        request.FilterExpression = "#status = :confirmed";
        request.ExpressionAttributeNames["#status"] = MetadataKeys.Status;
        request.ExpressionAttributeValues[":confirmed"] = S(StoredNames.Of(SubscriptionStatus.Confirmed));
        var items = await table.QueryAsync(request, limit == int.MaxValue ? int.MaxValue : limit + 1, cancellationToken);
        return SubscriberPage.Of(items.ConvertAll(ReadSubscription), limit);
    }

    public async Task<Subscription?> ConfirmAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await table.GetPointerAsync(id, cancellationToken) is not { } pointer)
        {
            return null;
        }

        var liveAt = clock.GetUtcNow();
        if (pointer.Expires && !await TryKeepLookupAsync(id, liveAt, cancellationToken))
        {
            return null;
        }

        // A disabled subscription stays disabled: the update skips it, and it is returned as it is.
        return await UpdateAsync(
            pointer,
            id,
            "SET #status = :confirmed, #confirmedAt = if_not_exists(#confirmedAt, :confirmedAt) REMOVE #expiresAt, #ttl",
            new() { ["#confirmedAt"] = MetadataKeys.ConfirmedAt, ["#ttl"] = MetadataKeys.TimeToLive },
            new() { [":confirmedAt"] = N(now.ToUnixTimeMilliseconds()), [":disabled"] = S(StoredNames.Of(SubscriptionStatus.Disabled)) },
            liveAt,
            cancellationToken,
            extraCondition: "#status <> :disabled")
            ?? await GetDisabledAsync(id, cancellationToken);
    }

    /// <summary>All the settings in one update expression: each is set when given and removed when null.</summary>
    public Task<Subscription?> UpdateAsync(string id, SubscriptionSettings settings, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>
        {
            ["#policy"] = MetadataKeys.FilterPolicy,
            ["#retry"] = MetadataKeys.RetrySeconds,
            ["#rate"] = MetadataKeys.MaxPerSecond,
        };
        var values = new Dictionary<string, AttributeValue>();
        var set = new List<string>();
        var remove = new List<string>();
        Assign("#policy", ":policy", settings.FilterPolicy is { } filterPolicy ? S(filterPolicy) : null);
        Assign("#retry", ":retry", settings.DeliveryPolicy?.RetrySeconds is { } retry ? RetryList(retry) : null);
        Assign("#rate", ":rate", settings.DeliveryPolicy?.MaxPerSecond is { } rate ? N(rate) : null);
        var expression = string.Join(' ', new[]
        {
            set.Count > 0 ? "SET " + string.Join(", ", set) : null,
            remove.Count > 0 ? "REMOVE " + string.Join(", ", remove) : null,
        }.OfType<string>());
        return UpdateAsync(id, expression, names, values, cancellationToken);

        void Assign(string name, string placeholder, AttributeValue? value)
        {
            if (value is null)
            {
                remove.Add(name);
                return;
            }

            set.Add($"{name} = {placeholder}");
            values[placeholder] = value;
        }
    }

    /// <summary>
    /// Disables a confirmed subscription, or enables a disabled one: the update is conditional on the status
    /// it changes from, and when that condition fails (already so, pending, or gone) the subscription is
    /// returned as it is.
    /// </summary>
    public async Task<Subscription?> SetDisabledAsync(string id, DeliveryError? reason, CancellationToken cancellationToken)
    {
        if (await table.GetPointerAsync(id, cancellationToken) is not { } pointer)
        {
            return null;
        }

        var names = new Dictionary<string, string>
        {
            ["#code"] = MetadataKeys.DisabledCode,
            ["#detail"] = MetadataKeys.DisabledDetail,
            ["#at"] = MetadataKeys.DisabledAt,
        };
        var updated = reason is null
            ? await UpdateAsync(
                pointer,
                id,
                "SET #status = :to, #confirmedAt = :now REMOVE #code, #detail, #at",
                new(names) { ["#confirmedAt"] = MetadataKeys.ConfirmedAt },
                new()
                {
                    [":from"] = S(StoredNames.Of(SubscriptionStatus.Disabled)),
                    [":to"] = S(StoredNames.Of(SubscriptionStatus.Confirmed)),
                    [":now"] = N(clock.GetUtcNow().ToUnixTimeMilliseconds()),
                },
                clock.GetUtcNow(),
                cancellationToken,
                extraCondition: "#status = :from")
            : await UpdateAsync(
                pointer,
                id,
                "SET #status = :to, #code = :code, #detail = :detail, #at = :at",
                names,
                new()
                {
                    [":from"] = S(StoredNames.Of(SubscriptionStatus.Confirmed)),
                    [":to"] = S(StoredNames.Of(SubscriptionStatus.Disabled)),
                    [":code"] = S(reason.Code),
                    [":detail"] = S(reason.Detail),
                    [":at"] = N(reason.At.ToUnixTimeMilliseconds()),
                },
                clock.GetUtcNow(),
                cancellationToken,
                extraCondition: "#status = :from");
        return updated ?? await GetAsync(id, cancellationToken);
    }

    public Task<Subscription?> SetDeliveryErrorAsync(string id, DeliveryError? error, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>
        {
            ["#code"] = MetadataKeys.DeliveryErrorCode,
            ["#detail"] = MetadataKeys.DeliveryErrorDetail,
            ["#at"] = MetadataKeys.DeliveryErrorAt,
        };
        return error is null
            ? UpdateAsync(id, "REMOVE #code, #detail, #at", names, [], cancellationToken)
            : UpdateAsync(
                id,
                "SET #code = :code, #detail = :detail, #at = :at",
                names,
                new() { [":code"] = S(error.Code), [":detail"] = S(error.Detail), [":at"] = N(error.At.ToUnixTimeMilliseconds()) },
                cancellationToken);
    }

    public Task<Subscription?> SetSigningSecretsAsync(string id, SigningSecrets secrets, CancellationToken cancellationToken) =>
        UpdateAsync(
            id,
            "SET #secrets = :secrets",
            new() { ["#secrets"] = MetadataKeys.SigningSecrets },
            new() { [":secrets"] = S(StoredSigningSecrets.Format(secrets)) },
            cancellationToken);

    public async Task<Subscription?> DeleteAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await table.GetPointerAsync(id, cancellationToken) is not { } pointer)
        {
            return null;
        }

        var names = new Dictionary<string, string>();
        var values = new Dictionary<string, AttributeValue>();
        LiveSubscription.BindHeld(names, values, id, clock.GetUtcNow());
        var delete = table.TryDeleteAsync(new DeleteItemRequest
        {
            Key = pointer.SubscriptionKey,
            ConditionExpression = LiveSubscription.HeldCondition,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        }, cancellationToken);
        var live = table.IsLiveAsync(pointer, cancellationToken);
        await Task.WhenAll(delete, live);

        // A refused delete leaves the lookup: it names nothing, another id, or an expired pending
        // subscription whose TTL will remove both. Deleting it in the last case could strand a confirm
        // racing from a host whose clock runs behind, leaving a confirmed subscription without its lookup.
        if (await delete is not { } deleted)
        {
            return null;
        }

        // Items of a deleted topic's incarnation are cleaned up here too, but were already gone for callers.
        if (await live)
        {
            await tombstones.PutAsync(deleted, now, cancellationToken);
        }

        await table.DeleteAsync(MetadataKeys.Lookup(id), cancellationToken);
        return await live ? ReadSubscription(deleted) : null;
    }

    /// <summary>
    /// A topic incarnation's subscription items in creation order (the local index by id), after
    /// <paramref name="after"/> when given; consistent, so a subscription is listed once its subscribe returned.
    /// </summary>
    public static QueryRequest PartitionQuery(StoredTopic topic, string? after, string? through = null)
    {
        var request = new QueryRequest
        {
            IndexName = MetadataKeys.SubscriptionsById,
            ConsistentRead = true,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new() { ["#pk"] = MetadataKeys.Pk },
            ExpressionAttributeValues = new() { [":pk"] = S(MetadataKeys.SubscriptionsOf(topic.Topic.Name, topic.Incarnation)) },
        };
        if (after is not null || through is not null)
        {
            request.ExpressionAttributeNames["#id"] = MetadataKeys.SubscriptionId;
        }

        // A key condition may name the sort key once: "after" and "through" together are a BETWEEN on the
        // character after "after" (ids are ASCII, so none falls between "after" and that).
        if (after is not null && through is not null)
        {
            request.KeyConditionExpression += " AND #id BETWEEN :from AND :through";
            request.ExpressionAttributeValues[":from"] = S(after + "\u0001");
            request.ExpressionAttributeValues[":through"] = S(through);
        }
        else if (after is not null)
        {
            request.KeyConditionExpression += " AND #id > :after";
            request.ExpressionAttributeValues[":after"] = S(after);
        }
        else if (through is not null)
        {
            request.KeyConditionExpression += " AND #id <= :through";
            request.ExpressionAttributeValues[":through"] = S(through);
        }

        return request;
    }

    /// <summary>
    /// Puts <paramref name="item"/> in the place of the expired pending subscription <paramref name="expiredId"/>,
    /// on condition that it is still there and still pending: a confirm that got there first (from a host whose
    /// clock is behind) wins, and the subscribe then finds it confirmed.
    /// </summary>
    private Task<bool> TryReplaceExpiredAsync(Dictionary<string, AttributeValue> item, string expiredId, DateTimeOffset now, CancellationToken cancellationToken) =>
        table.TryPutAsync(new PutItemRequest
        {
            Item = item,
            ConditionExpression = "#id = :expired AND #status = :pending AND #expiresAt <= :now",
            ExpressionAttributeNames = new()
            {
                ["#id"] = MetadataKeys.SubscriptionId,
                ["#status"] = MetadataKeys.Status,
                ["#expiresAt"] = MetadataKeys.ExpiresAt,
            },
            ExpressionAttributeValues = new()
            {
                [":expired"] = S(expiredId),
                [":pending"] = S(StoredNames.Of(SubscriptionStatus.Pending)),
                [":now"] = N(now.ToUnixTimeMilliseconds()),
            },
        }, cancellationToken);

    /// <summary>
    /// Removes the TTL from subscription <paramref name="id"/>'s lookup, the first step of confirming it;
    /// false when the lookup is gone or its TTL has passed (the subscription expired: nothing to confirm).
    /// </summary>
    private async Task<bool> TryKeepLookupAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await table.TryUpdateAsync(new UpdateItemRequest
        {
            Key = MetadataKeys.Lookup(id),
            UpdateExpression = "REMOVE #ttl",
            ConditionExpression = "attribute_exists(#pk) AND (attribute_not_exists(#ttl) OR #ttl > :now)",
            ExpressionAttributeNames = new() { ["#pk"] = MetadataKeys.Pk, ["#ttl"] = MetadataKeys.TimeToLive },
            ExpressionAttributeValues = new() { [":now"] = N(now.ToUnixTimeSeconds()) },
        }, cancellationToken) is not null;

    private async Task<Subscription?> UpdateAsync(
        string id,
        string expression,
        Dictionary<string, string> names,
        Dictionary<string, AttributeValue> values,
        CancellationToken cancellationToken) =>
        await table.GetPointerAsync(id, cancellationToken) is { } pointer
            ? await UpdateAsync(pointer, id, expression, names, values, clock.GetUtcNow(), cancellationToken)
            : null;

    /// <summary>
    /// Applies <paramref name="expression"/> to subscription <paramref name="id"/> and returns it as updated;
    /// null when there is no such live subscription. Conditional on the id and on the subscription not having
    /// expired at <paramref name="liveAt"/>: a subscription deleted since its lookup was read is neither changed
    /// nor recreated, a later subscription of the same endpoint (another id) is not touched by the old one's
    /// link or delivery error, and an expired one cannot be confirmed. <paramref name="extraCondition"/>, when
    /// given, must hold too (its names and values in <paramref name="names"/> and <paramref name="values"/>).
    /// </summary>
    private async Task<Subscription?> UpdateAsync(
        Pointer pointer,
        string id,
        string expression,
        Dictionary<string, string> names,
        Dictionary<string, AttributeValue> values,
        DateTimeOffset liveAt,
        CancellationToken cancellationToken,
        string? extraCondition = null)
    {
        LiveSubscription.BindHeld(names, values, id, liveAt);
        var update = table.TryUpdateAsync(new UpdateItemRequest
        {
            Key = pointer.SubscriptionKey,
            UpdateExpression = expression,
            ConditionExpression = extraCondition is null ? LiveSubscription.HeldCondition : $"{LiveSubscription.HeldCondition} AND {extraCondition}",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        }, cancellationToken);
        var live = table.IsLiveAsync(pointer, cancellationToken);
        await Task.WhenAll(update, live);
        var updated = await update;
        return await live && updated is not null ? ReadSubscription(updated) : null;
    }

    /// <summary>Subscription <paramref name="id"/> when it is disabled; null otherwise.</summary>
    private async Task<Subscription?> GetDisabledAsync(string id, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken) is { Status: SubscriptionStatus.Disabled } disabled ? disabled : null;

    private static bool Holds(Dictionary<string, AttributeValue> item, string id) =>
        item.TryGetValue(MetadataKeys.SubscriptionId, out var value) && value.S == id;
}
