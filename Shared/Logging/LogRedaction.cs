namespace Notify.Shared.Logging;

/// <summary>
/// What <see cref="Redact"/> changes in one event: its values (a query string by name, any URL,
/// address or number in text), the message built from them, and the exception's text.
/// </summary>
internal static class LogRedaction
{
    private const string OriginalFormat = "{OriginalFormat}";

    /// <summary>The state to log instead of <paramref name="state"/>, or null when nothing in it needs hiding.</summary>
    public static RedactedState? Of<TState>(TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            List<(string Before, string After)>? changes = null;
            KeyValuePair<string, object?>[]? redacted = null;
            for (var i = 0; i < values.Count; i++)
            {
                var (key, value) = values[i];
                if (key == OriginalFormat || Redacted(key, value) is not { } after)
                {
                    continue;
                }

                redacted ??= [.. values];
                redacted[i] = new(key, after);
                (changes ??= []).Add((value!.ToString()!, after));
            }

            if (changes is null)
            {
                return null;
            }

            // The message is made by the event's own formatter; each value it quoted is swapped for its redacted form.
            var message = formatter(state, exception);
            foreach (var (before, after) in changes.Where(c => c.Before.Length > 0).OrderByDescending(c => c.Before.Length))
            {
                message = message.Replace(before, after, StringComparison.Ordinal);
            }

            return new RedactedState(redacted!, message);
        }

        // A state that is not structured (rare): only its text can be checked.
        var text = formatter(state, exception);
        var clean = Redact.Text(text);
        return clean == text ? null : new RedactedState([new("Message", clean)], clean);
    }

    /// <summary>The exception to log instead of <paramref name="exception"/>: itself when its text names nothing to hide.</summary>
    public static Exception? Of(Exception? exception)
    {
        if (exception is null or RedactedException)
        {
            return exception;
        }

        var text = exception.ToString();
        var clean = Redact.Text(text);
        return clean == text ? exception : new RedactedException(exception, clean);
    }

    private static string? Redacted(string key, object? value)
    {
        switch (value)
        {
            // ASP.NET Core's request lines carry the query string apart from the path: the path stays, the query goes.
            case not null when key.Equals("QueryString", StringComparison.OrdinalIgnoreCase):
                var query = value.ToString();
                return string.IsNullOrEmpty(query) || query == Redact.Query ? null : Redact.Query;
            case Uri uri:
                var endpoint = Redact.Endpoint(uri);
                return endpoint == uri.OriginalString ? null : endpoint;
            case string text:
                var clean = Redact.Text(text);
                return clean == text ? null : clean;

            // Numbers, times, ids and enums print nothing to hide; any other object (a request message,
            // a framework type) is judged by the text a formatter would print for it.
            case null or IConvertible or IFormattable:
                return null;
            default:
                var printed = value.ToString() ?? string.Empty;
                var cleanPrinted = Redact.Text(printed);
                return cleanPrinted == printed ? null : cleanPrinted;
        }
    }
}
