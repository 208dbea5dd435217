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

    /// <summary>The RFC 9110 section of a status, as the framework's own problems link it.</summary>
    public static string? TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        500 => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => null,
    };

    public static string For(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad Request",
        StatusCodes.Status413PayloadTooLarge => "Content Too Large",
        StatusCodes.Status422UnprocessableEntity => "Unprocessable Content",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };
}
