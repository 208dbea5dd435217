using Microsoft.AspNetCore.WebUtilities;
using Notify.Frontend.Validation;

namespace Notify.Frontend.Errors;

/// <summary>
/// One title per status, whoever writes the problem (a handler, the framework's status pages, the
/// exception handler): clients may match on it, so a 413 must not be "Payload Too Large" from one place
/// and "Request Entity Too Large" from another.
/// </summary>
internal static class ProblemTitles
{
    public static string TooLargeDetail { get; } =
        $"The request body is too large: a publish may be at most {Limits.PublishBodyMaxBytes / 1024 / 1024} MiB (its message, subject and attributes at most 256 KiB of UTF-8), any other call {Limits.DefaultBodyMaxBytes / 1024} KiB.";

    public static string For(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad Request",
        StatusCodes.Status413PayloadTooLarge => "Content Too Large",
        StatusCodes.Status422UnprocessableEntity => "Unprocessable Content",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };
}
