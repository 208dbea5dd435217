using System.Xml;
using System.Xml.Linq;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// Reads SQS's XML answers by local names, so the namespace (SQS writes
/// <c>http://queue.amazonaws.com/doc/2012-11-05/</c>) does not matter. DTDs are refused: an answer never
/// needs one, and refusing them shuts out entity expansion from whatever sits at the endpoint.
/// </summary>
internal static class SqsXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
    };

    /// <exception cref="XmlException">The text is not XML.</exception>
    public static XElement Parse(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), Settings);
        return XElement.Load(reader);
    }

    public static IEnumerable<XElement> Children(this XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    public static IEnumerable<XElement> DescendantsNamed(this XElement root, string localName) =>
        root.Descendants().Where(e => e.Name.LocalName == localName);

    public static string? ChildValue(this XElement parent, string localName) =>
        parent.Children(localName).FirstOrDefault()?.Value;

    /// <summary>The <c>Name</c>/<c>Value</c> pairs of the repeated <paramref name="localName"/> elements.</summary>
    public static Dictionary<string, string> NameValues(this XElement parent, string localName)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parent.Children(localName))
        {
            if (pair.ChildValue("Name") is { } name)
            {
                pairs[name] = pair.ChildValue("Value") ?? "";
            }
        }

        return pairs;
    }

    /// <summary>
    /// The error in an <c>&lt;ErrorResponse&gt;</c>; when the answer is not one (a proxy's HTML page, a local
    /// server's JSON), a code made of the status so the caller still sees what happened.
    /// </summary>
    public static SqsError ReadError(int statusCode, string body, string? requestIdHeader)
    {
        try
        {
            var root = Parse(body);
            if (root.DescendantsNamed("Error").FirstOrDefault() is { } error && error.ChildValue("Code") is { Length: > 0 } code)
            {
                return new SqsError(
                    code,
                    error.ChildValue("Message") ?? "",
                    SenderFault: string.Equals(error.ChildValue("Type"), "Sender", StringComparison.Ordinal),
                    RequestId: root.ChildValue("RequestId") ?? requestIdHeader);
            }
        }
        catch (XmlException)
        {
        }

        // Error pages are short; keep the start of one for the log, never more.
        var text = body.Length > 200 ? body[..200] + "..." : body;
        return new SqsError($"Http{statusCode}", text, SenderFault: statusCode is >= 400 and < 500, requestIdHeader);
    }
}
