using System.Text;
using Notify.Frontend.Api.Contracts;

namespace Notify.Frontend.Validation;

/// <summary>What a publish must satisfy before it is accepted.</summary>
internal static class PublishRule
{
    /// <returns>The validation errors (400), or null.</returns>
    public static ValidationErrors? Check(PublishRequest request, string? idempotencyKey)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.Message))
        {
            errors.Add("message", "The message is required and must not be empty.");
        }

        if (request.Subject is { } subject)
        {
            if (subject.Length is 0 or > Limits.SubjectMaxLength)
            {
                errors.Add("subject", $"The subject must be 1 to {Limits.SubjectMaxLength} characters long; it is {subject.Length}.");
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
                if (name.Length is 0 or > Limits.AttributeNameMaxLength || name.Any(char.IsControl))
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

    /// <returns>The UTF-8 size of message, subject and attributes when it is over the limit (413), else null.</returns>
    public static int? OversizeBytes(PublishRequest request)
    {
        var bytes = Encoding.UTF8.GetByteCount(request.Message ?? string.Empty)
            + Encoding.UTF8.GetByteCount(request.Subject ?? string.Empty);
        foreach (var (name, value) in request.Attributes ?? [])
        {
            bytes += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value ?? string.Empty);
        }

        return bytes > Limits.MessageMaxBytes ? bytes : null;
    }

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
