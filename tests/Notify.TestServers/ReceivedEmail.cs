using System.Text.Json;

namespace Notify.TestServers;

/// <summary>One mail as maildev received it, read from its REST API (<c>GET /email</c>).</summary>
/// <param name="Id">maildev's id for the mail.</param>
/// <param name="Subject">The decoded <c>Subject</c> header; empty when the mail has none.</param>
/// <param name="To">The addresses in the <c>To</c> header, without display names (Bcc-only mail has none).</param>
/// <param name="From">The first address in the <c>From</c> header, without its display name.</param>
/// <param name="Text">
/// The decoded plain-text body (quoted-printable and base64 undone), with <c>\n</c> line breaks and no
/// trailing ones; empty when the mail has no text part.
/// </param>
/// <param name="Html">The decoded HTML body, normalised like <paramref name="Text"/>; null when there is none.</param>
/// <param name="Headers">
/// The top-level headers, unfolded and with encoded words decoded, by case-insensitive name; a header
/// sent more than once has its values joined by <c>\n</c>, in order.
/// </param>
public sealed record ReceivedEmail(
    string Id,
    string Subject,
    IReadOnlyList<string> To,
    string From,
    string Text,
    string? Html,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Reads one element of maildev's <c>GET /email</c> array.</summary>
    internal static ReceivedEmail FromMailDev(JsonElement mail) => new(
        mail.GetProperty("id").GetString()!,
        String(mail, "subject") ?? "",
        Addresses(mail, "to"),
        Addresses(mail, "from").FirstOrDefault() ?? "",
        Body(String(mail, "text")) ?? "",
        Body(String(mail, "html")),
        HeadersOf(mail));

    private static string? String(JsonElement mail, string name) =>
        mail.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // maildev leaves a field out rather than sending an empty one: no "to" for Bcc-only mail, no "text"
    // for HTML-only mail.
    private static string[] Addresses(JsonElement mail, string name) =>
        mail.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(address => address.GetProperty("address").GetString() ?? "").ToArray()
            : [];

    // maildev's parser turns the line breaks of the transport into \n but keeps a CRLF that was encoded
    // (=0D=0A, or inside base64), so one body can mix both; and the CRLF that SMTP's final "." needs
    // comes back as trailing line breaks the sender never wrote.
    // (ReplaceLineEndings would also rewrite U+2028, NEL and form feeds, which are content.)
    private static string? Body(string? body) => body?.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');

    // A header sent twice comes back as a JSON array of its values; once, as a string.
    private static Dictionary<string, string> HeadersOf(JsonElement mail)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (mail.TryGetProperty("headers", out var all) && all.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in all.EnumerateObject())
            {
                headers[header.Name] = header.Value.ValueKind switch
                {
                    JsonValueKind.String => header.Value.GetString()!,
                    JsonValueKind.Array => string.Join('\n', header.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
                    _ => header.Value.GetRawText(),
                };
            }
        }

        return headers;
    }
}
