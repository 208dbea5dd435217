using System.Globalization;
using System.Text;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// One Query-protocol request: <c>Action</c>, <c>Version</c> and the action's parameters as form fields.
/// Lists are flattened the Query way: <c>AttributeName.1</c>, <c>SendMessageBatchRequestEntry.3.MessageBody</c>.
/// </summary>
internal sealed class SqsRequest
{
    public const string ApiVersion = "2012-11-05";

    private readonly List<KeyValuePair<string, string>> _parameters = [];

    public SqsRequest(string action)
    {
        Action = action;
        Add("Action", action);
        Add("Version", ApiVersion);
    }

    public string Action { get; }

    public SqsRequest Add(string name, string value)
    {
        _parameters.Add(KeyValuePair.Create(name, value));
        return this;
    }

    public SqsRequest Add(string name, int value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds <c>{prefix}.1</c>, <c>{prefix}.2</c>, ... for the values.</summary>
    public SqsRequest AddList(string prefix, IEnumerable<string> values)
    {
        var index = 1;
        foreach (var value in values)
        {
            Add(Indexed(prefix, index++), value);
        }

        return this;
    }

    public static string Indexed(string prefix, int index) => prefix + "." + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The body of the POST, <c>application/x-www-form-urlencoded</c>, UTF-8.</summary>
    /// <remarks>
    /// Built as bytes once, because the SigV4 signature covers the body's hash and every retry resends
    /// exactly these bytes.
    /// </remarks>
    public byte[] ToFormBody()
    {
        var form = new StringBuilder();
        foreach (var (name, value) in _parameters)
        {
            if (form.Length > 0)
            {
                form.Append('&');
            }

            form.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return Encoding.UTF8.GetBytes(form.ToString());
    }
}
