using System.Text;
using Notify.Frontend.Api.Contracts;

namespace Notify.Frontend.Validation;

/// <summary>What a publish must satisfy before it is accepted.</summary>
internal static class PublishRule
{
    /// <summary>The key in <c>messages</c> of the body for every protocol without its own.</summary>
    public const string DefaultKey = "default";

    /// <summary>The keys <c>messages</c> may hold: the default and one per protocol.</summary>
    public static readonly IReadOnlyList<string> MessagesKeys = [DefaultKey, "email", "sms", "webhook"];

    /// <summary>A subject holds no control characters (what <see cref="char.IsControl(char)"/> calls one), line breaks included.</summary>
    public const string SubjectPattern = @"^[^\u0000-\u001F\u007F-\u009F]*$";

    /// <summary>A dedup id is printable ASCII without spaces.</summary>
    public const string DedupIdPattern = "^[!-~]*$";

    /// <returns>The validation errors (400), or null.</returns>
    public static ValidationErrors? Check(PublishRequest request, string? idempotencyKey)
    {
        var errors = new ValidationErrors();
        if (request.Messages is null && string.IsNullOrEmpty(request.Message))
        {
            errors.Add("message", "The message is required and must not be empty.");
        }

        if (request.Messages is { } messages)
        {
            CheckMessages(request, messages, errors);
        }

        if (request.Subject is { } subject)
        {
            // Characters as JSON Schema's maxLength counts them (code points), so the document and the API agree.
            var length = CodePoints(subject);
            if (length is 0 or > Limits.SubjectMaxLength)
            {
                errors.Add("subject", $"The subject must be 1 to {Limits.SubjectMaxLength} characters long; it is {length}.");
            }

            if (subject.Any(char.IsControl))
            {
                errors.Add("subject", "The subject must not contain line breaks or other control characters.");
            }
        }

        if (request.Attributes is { } attributes)
        {
            if (attributes.Count > Limits.MaxAttributes)
            {
                errors.Add("attributes", $"A message may carry at most {Limits.MaxAttributes} attributes; it has {attributes.Count}.");
            }

            foreach (var (name, value) in attributes)
            {
                if (CodePoints(name) is 0 or > Limits.AttributeNameMaxLength || name.Any(char.IsControl))
                {
                    errors.Add("attributes", $"Attribute names must be 1 to {Limits.AttributeNameMaxLength} characters without control characters.");
                }

                if (value is null)
                {
                    errors.Add("attributes", $"Attribute '{name}' has no value; attribute values are strings.");
                }
            }
        }

        if (request.DedupId is not null && idempotencyKey is not null && request.DedupId != idempotencyKey)
        {
            errors.Add("dedupId", "The body's dedupId and the Idempotency-Key header differ; send one of them, or the same value in both.");
        }

        if ((request.DedupId ?? idempotencyKey) is { } key && DedupKeyProblem(key) is { } problem)
        {
            errors.Add(request.DedupId is not null ? "dedupId" : "Idempotency-Key", problem);
        }

        return errors.IsEmpty ? null : errors;
    }

    /// <returns>The UTF-8 size of every body, subject and attributes when it is over the limit (413), else null.</returns>
    public static int? OversizeBytes(PublishRequest request)
    {
        var bytes = Encoding.UTF8.GetByteCount(request.Message ?? string.Empty)
            + Encoding.UTF8.GetByteCount(request.Subject ?? string.Empty);
        // Each of the two loops only when there is something to count: `?? []` would build an empty dictionary per publish.
        if (request.Messages is { } messages)
        {
            foreach (var (key, body) in messages)
            {
                bytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(body ?? string.Empty);
            }
        }

        if (request.Attributes is { } attributes)
        {
            foreach (var (name, value) in attributes)
            {
                bytes += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value ?? string.Empty);
            }
        }

        return bytes > Limits.MessageMaxBytes ? bytes : null;
    }

    private static void CheckMessages(PublishRequest request, Dictionary<string, string?> messages, ValidationErrors errors)
    {
        foreach (var (key, body) in messages)
        {
            if (!MessagesKeys.Contains(key))
            {
                errors.Add("messages", $"'{key}' is not a key of messages; use {string.Join(", ", MessagesKeys.Select(k => $"'{k}'"))}.");
            }
            else if (string.IsNullOrEmpty(body))
            {
                errors.Add("messages", $"messages.{key} must be a non-empty string.");
            }
        }

        var hasDefault = messages.ContainsKey(DefaultKey);
        if (request.Message is not null && hasDefault)
        {
            errors.Add("messages", "Send the default body once: either message or messages.default, not both.");
        }
        else if (string.IsNullOrEmpty(request.Message) && !hasDefault)
        {
            errors.Add("messages", "messages needs a 'default' body (or send message beside it) for protocols without their own.");
        }
    }

    private static int CodePoints(string text) => text.EnumerateRunes().Count();

    private static string? DedupKeyProblem(string key)
    {
        if (key.Length is 0 or > Limits.DedupIdMaxLength)
        {
            return $"A dedup id must be 1 to {Limits.DedupIdMaxLength} characters long; it is {key.Length}.";
        }

        return key.All(c => c is >= '!' and <= '~')
            ? null
            : "A dedup id may contain only printable ASCII characters without spaces.";
    }
}
