using System.Text.RegularExpressions;
using MimeKit;
using Notify.Metadata.Model;

namespace Notify.Frontend.Validation;

/// <summary>Checks and normalises a subscription's protocol and endpoint.</summary>
internal static partial class EndpointRule
{
    public static ValidationErrors? Check(Protocol protocol, string? endpoint, out string normalized)
    {
        var errors = new ValidationErrors();
        normalized = string.Empty;

        var known = protocol;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            errors.Add("endpoint", $"An endpoint is required: {Example(known)}.");
            return errors;
        }

        endpoint = endpoint.Trim();
        var problem = known switch
        {
            Protocol.Webhook => CheckWebhook(endpoint, out normalized),
            Protocol.Email => CheckEmail(endpoint, out normalized),
            _ => CheckPhoneNumber(endpoint, out normalized),
        };

        if (problem is not null)
        {
            errors.Add("endpoint", problem);
        }

        return errors.IsEmpty ? null : errors;
    }

    private static string? CheckWebhook(string endpoint, out string normalized)
    {
        normalized = endpoint;
        if (endpoint.Length > Limits.EndpointMaxLength)
        {
            return $"A webhook URL may be at most {Limits.EndpointMaxLength} characters long.";
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "A webhook endpoint must be an absolute http:// or https:// URL, such as https://example.com/hooks/notify.";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "A webhook URL must not contain a #fragment; it is never sent to the server.";
        }

        normalized = uri.AbsoluteUri;
        return null;
    }

    private static string? CheckEmail(string endpoint, out string normalized)
    {
        normalized = endpoint;
        if (endpoint.Length > Limits.EmailMaxLength
            // MimeKit's parser, the one the email channel sends with: what is accepted here can be sent.
            || !MailboxAddress.TryParse(endpoint, out var address)
            || address.Address != endpoint
            || !address.Domain.Contains('.', StringComparison.Ordinal)
            || address.Domain.StartsWith('.')
            || address.Domain.EndsWith('.'))
        {
            return "The endpoint is not a valid email address; use a plain address such as alice@example.com.";
        }

        // The domain part is case-insensitive; the local part is kept as given (RFC 5321).
        normalized = $"{address.LocalPart}@{address.Domain.ToLowerInvariant()}";
        return null;
    }

    private static string? CheckPhoneNumber(string endpoint, out string normalized)
    {
        normalized = endpoint;
        return E164().IsMatch(endpoint)
            ? null
            : "The endpoint is not an E.164 phone number; use '+', the country code and the number, digits only, such as +15551234567.";
    }

    private static string Example(Protocol protocol) => protocol switch
    {
        Protocol.Webhook => "an https:// URL",
        Protocol.Email => "an email address",
        _ => "an E.164 phone number such as +15551234567",
    };

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
