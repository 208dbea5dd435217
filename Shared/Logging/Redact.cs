using System.Text.RegularExpressions;

namespace Notify.Shared.Logging;

/// <summary>
/// The one place that decides how an address or URL may appear in a log line. Webhook URLs carry
/// secrets in their user info, path (Slack-style hook URLs) and query (signatures); links carry tokens
/// in their query; email addresses and phone numbers belong to subscribers. A log line shows enough to
/// tell which endpoint or subscriber is meant, never enough to call it or to read its owner's address.
/// </summary>
public static partial class Redact
{
    /// <summary>What stands where a query string was.</summary>
    public const string Query = "?(redacted)";

    /// <summary>An endpoint as logs show it: scheme, host and port; never user info, path or query.</summary>
    public static string Endpoint(Uri endpoint) =>
        endpoint.IsAbsoluteUri ? $"{endpoint.Scheme}://{endpoint.Authority}" : "(relative URL)";

    /// <summary><c>jane@example.com</c> as <c>j***@example.com</c>: the domain helps tell a provider's refusals apart, the mailbox is the subscriber's.</summary>
    public static string Email(string address)
    {
        var at = address.LastIndexOf('@');
        return at <= 0 ? "***" : $"{address[0]}***{address[at..]}";
    }

    /// <summary><c>+447911123456</c> as <c>+4479******56</c>: the country and network prefix and the last two digits, enough to tell numbers apart in a conversation.</summary>
    public static string Phone(string number)
    {
        var digits = number.StartsWith('+') ? number[1..] : number;
        if (digits.Length < 8)
        {
            return "+***";
        }

        return $"+{digits[..4]}{new string('*', digits.Length - 6)}{digits[^2..]}";
    }

    /// <summary>
    /// Free text (an exception's message, a framework's log value) with every URL reduced to
    /// <see cref="Endpoint"/>, the query of every path (<c>/x?token=…</c>) replaced by <see cref="Query"/>,
    /// and email addresses and phone numbers masked.
    /// </summary>
    public static string Text(string text)
    {
        // Every pattern below needs one of '?', '@', '+' or "://" (a URL's scheme separator); most values
        // hold none (an ISO time or a request id has ':', but never "://"), so they skip the regular expressions.
        if (!MayNeedRedaction(text))
        {
            return text;
        }

        var redacted = AbsoluteUrl().Replace(text, Url);
        redacted = PathQuery().Replace(redacted, m => m.Groups["path"].Value + Query);
        redacted = EmailAddress().Replace(redacted, m => Email(m.Value));
        return PhoneNumber().Replace(redacted, m => Phone(m.Value));
    }

    private static bool MayNeedRedaction(ReadOnlySpan<char> text) =>
        text.IndexOfAny("?@+") >= 0 || text.IndexOf("://", StringComparison.Ordinal) >= 0;

    /// <summary>A URL found in text, as <see cref="Endpoint"/>; the punctuation that ends a sentence or closes a bracket after it stays.</summary>
    private static string Url(Match match)
    {
        var url = match.Value.TrimEnd(')', ']', '.', ',', ';');
        var after = match.Value[url.Length..];
        return (Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Endpoint(uri) : match.Groups["scheme"].Value + "://(unreadable address)") + after;
    }

    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*)://[^\s'""<>]+")]
    private static partial Regex AbsoluteUrl();

    // A request target with a query, as Kestrel quotes a bad request line: "GET /v1/x?token=… HTTP/1.1".
    [GeneratedRegex(@"(?<path>(?<![\w/:.])/[^\s'""?#]*)\?[^\s'""#]+")]
    private static partial Regex PathQuery();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+")]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"\+\d{8,15}\b")]
    private static partial Regex PhoneNumber();
}
