using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Validation;

namespace Notify.Frontend.Keys;

/// <summary>What a new key may say: a name, at least one permission, topic names or prefixes, an expiry ahead, positive rates.</summary>
internal static class ApiKeyRule
{
    public const int NameMaxLength = 100;
    public const int MaxTopics = 100;
    public const double MinRate = 0.01;
    public const double MaxRate = 1_000_000;

    /// <summary>A topic pattern as the OpenAPI document states it: <c>*</c>, a name, or a name followed by <c>*</c>.</summary>
    public const string TopicPattern = @"^(\*|[A-Za-z0-9_-]+\*?)$";

    public static ValidationErrors? Check(CreateKeyRequest request, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > NameMaxLength || request.Name.Any(char.IsControl))
        {
            errors.Add("name", $"A key's name is 1 to {NameMaxLength} characters without control characters.");
        }

        if (request.Permissions.Count == 0)
        {
            errors.Add("permissions", "Give at least one permission: publish, subscribe, manage or read.");
        }

        if (request.Topics.Count is 0 or > MaxTopics)
        {
            errors.Add("topics", $"Give 1 to {MaxTopics} topics: names, prefixes ending in '*' such as 'billing-*', or '*' for every topic.");
        }

        for (var i = 0; i < request.Topics.Count; i++)
        {
            if (PatternProblem(request.Topics[i]) is { } problem)
            {
                errors.Add($"topics[{i}]", problem);
            }
        }

        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            errors.Add("expiresAt", $"expiresAt {expiresAt:O} has passed; give a time in the future, or leave it out for a key that does not expire.");
        }

        if (request.RateLimit is { } rate)
        {
            CheckRate(errors, "rateLimit.publishPerSecond", rate.PublishPerSecond);
            CheckBurst(errors, "rateLimit.publishBurst", rate.PublishBurst);
            CheckRate(errors, "rateLimit.requestsPerSecond", rate.RequestsPerSecond);
            CheckBurst(errors, "rateLimit.requestsBurst", rate.RequestsBurst);
        }

        return errors.IsEmpty ? null : errors;
    }

    /// <summary>A pattern is <c>*</c>, a topic name, or a topic name followed by <c>*</c> (a prefix).</summary>
    private static string? PatternProblem(string pattern)
    {
        if (pattern == "*")
        {
            return null;
        }

        var name = pattern.EndsWith('*') ? pattern[..^1] : pattern;
        return TopicNameRule.Check(name) is { } problem
            ? $"'{pattern}' is neither a topic name nor a prefix ending in '*': {problem}"
            : null;
    }

    private static void CheckRate(ValidationErrors errors, string field, double? value)
    {
        if (value is < MinRate or > MaxRate)
        {
            errors.Add(field, $"{field} is a number of requests a second from {MinRate} to {MaxRate:N0}; leave it out for the server's default.");
        }
    }

    private static void CheckBurst(ValidationErrors errors, string field, int? value)
    {
        if (value is < 1)
        {
            errors.Add(field, $"{field} is a whole number of requests, 1 or more; leave it out for the server's default.");
        }
    }
}
