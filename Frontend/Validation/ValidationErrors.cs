namespace Notify.Frontend.Validation;

/// <summary>Collects what is wrong with a request, field by field, for a 400 problem.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>All messages in one sentence list: the problem's <c>detail</c>.</summary>
    public string Detail => string.Join(" ", _errors.Values.SelectMany(v => v));
}
