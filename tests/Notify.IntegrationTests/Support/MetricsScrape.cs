using System.Globalization;

namespace Notify.IntegrationTests.Support;

/// <summary>Reads a process's <c>/metrics</c> (Prometheus text) as a scraper would: no key.</summary>
public static class MetricsScrape
{
    /// <summary>
    /// Scrapes <paramref name="baseAddress"/> until <paramref name="condition"/> holds: the exporter may answer
    /// from a scrape it cached a moment ago, and the queue is sampled every few seconds. Each answer must be a
    /// 200 in Prometheus's text format. Asked every 200 ms; after <paramref name="patience"/> it fails with the last scrape.
    /// </summary>
    public static async Task<string> UntilAsync(Uri baseAddress, Func<string, bool> condition, string what, TimeSpan patience)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            using var response = await http.GetAsync("metrics");
            Assert.Equal(200, (int)response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            var text = await response.Content.ReadAsStringAsync();
            if (condition(text))
            {
                return text;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/metrics at {baseAddress} never showed {what}; last scrape:\n{text}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// The sum of the samples <c>name{...} value</c> whose labels contain <paramref name="label"/> (every
    /// sample of the name when null); 0 when there is none, as a counter never incremented is not exported.
    /// </summary>
    public static double Value(string scrape, string name, string? label = null)
    {
        double sum = 0;
        foreach (var line in scrape.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not ('{' or ' '))
            {
                continue;
            }

            var labelsEnd = line[name.Length] == '{' ? line.IndexOf('}', StringComparison.Ordinal) + 1 : name.Length;
            if (label is not null && !line[..labelsEnd].Contains(label, StringComparison.Ordinal))
            {
                continue;
            }

            sum += double.Parse(line[labelsEnd..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
