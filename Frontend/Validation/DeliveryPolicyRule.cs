using System.Globalization;
using System.Text.Json;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;

namespace Notify.Frontend.Validation;

/// <summary>
/// A subscription's <c>deliveryPolicy</c> as it arrives, raw JSON: <c>{"retrySeconds": [..], "maxPerSecond": n}</c>,
/// both members optional. Read as a JSON merge patch (RFC 7396) onto the current policy: a member left out
/// stays as it is, <c>null</c> removes it, and <c>deliveryPolicy: null</c> removes the whole policy. At subscribe
/// there is no current policy, so the object is the policy. A policy left with neither member is none.
/// </summary>
internal static class DeliveryPolicyRule
{
    public const string Field = "deliveryPolicy";
    public const string RetrySecondsField = "retrySeconds";
    public const string MaxPerSecondField = "maxPerSecond";

    /// <summary>
    /// The policy <paramref name="value"/> makes of <paramref name="current"/> (null: none), or the field path
    /// and what is wrong with it. A value left out (<see cref="JsonValueKind.Undefined"/> or no value) keeps
    /// <paramref name="current"/>.
    /// </summary>
    public static (string Field, string Problem)? Apply(JsonElement? value, DeliveryPolicy? current, out DeliveryPolicy? policy)
    {
        policy = current;
        if (value is not { ValueKind: not JsonValueKind.Undefined } given)
        {
            return null;
        }

        if (given.ValueKind == JsonValueKind.Null)
        {
            policy = null;
            return null;
        }

        if (given.ValueKind != JsonValueKind.Object)
        {
            return (Field, $"The {Field} must be an object such as {{\"retrySeconds\": [5, 60, 300], \"maxPerSecond\": 10}}, or null to remove it.");
        }

        var retrySeconds = current?.RetrySeconds;
        var maxPerSecond = current?.MaxPerSecond;
        foreach (var member in given.EnumerateObject())
        {
            var problem = member.Name switch
            {
                RetrySecondsField => RetrySeconds(member.Value, out retrySeconds),
                MaxPerSecondField => MaxPerSecond(member.Value, out maxPerSecond),
                _ => ($"{Field}.{member.Name}", $"{Field}.{member.Name} is not a field of a delivery policy; it has {RetrySecondsField} and {MaxPerSecondField}."),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        policy = retrySeconds is null && maxPerSecond is null ? null : new DeliveryPolicy(retrySeconds, maxPerSecond);
        return null;
    }

    private static (string Field, string Problem)? RetrySeconds(JsonElement value, out IReadOnlyList<int>? seconds)
    {
        const string Path = $"{Field}.{RetrySecondsField}";
        seconds = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return (Path, $"{Path} must be an array of whole seconds to wait before each retry, such as [5, 60, 300] (an empty array: no retry), or null for the protocol's schedule.");
        }

        var count = value.GetArrayLength();
        if (count > RetrySchedule.MaxRetries)
        {
            return (Path, $"{Path} holds {count} waits; at most {RetrySchedule.MaxRetries} retries are allowed.");
        }

        var list = new int[count];
        var i = 0;
        foreach (var wait in value.EnumerateArray())
        {
            if (wait.ValueKind != JsonValueKind.Number || !wait.TryGetInt32(out list[i]) || list[i] is < 0 or > RetrySchedule.MaxWaitSeconds)
            {
                return ($"{Path}[{i}]", $"{Path}[{i}] is {wait.GetRawText()}; every wait must be a whole number of seconds from 0 to {RetrySchedule.MaxWaitSeconds}.");
            }

            i++;
        }

        seconds = list;
        return null;
    }

    private static (string Field, string Problem)? MaxPerSecond(JsonElement value, out double? rate)
    {
        const string Path = $"{Field}.{MaxPerSecondField}";
        rate = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number)
            || !double.IsFinite(number) || number is < DeliveryPolicy.MinRate or > DeliveryPolicy.MaxRate)
        {
            return (Path, string.Create(CultureInfo.InvariantCulture,
                $"{Path} is {value.GetRawText()}; it must be a number of deliveries per second from {DeliveryPolicy.MinRate} to {DeliveryPolicy.MaxRate}, or null for no limit."));
        }

        rate = number;
        return null;
    }
}
