using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Notify.Bench.FanOut;

/// <summary>
/// The baseline: a raw <see cref="HttpClient"/> loop in this process posting the body Notify delivered, with
/// its headers, once to each subscriber path of the receiver, <c>concurrency</c> requests at a time (the
/// Sender's delivery slots), over a handler set up as the Sender's webhook handler is.
/// </summary>
internal static class BaselineLoop
{
    /// <param name="requests">Posts in all, to the paths in turn (subscriber = post mod <paramref name="subscribers"/>); by default one per subscriber.</param>
    /// <returns>The Stopwatch timestamp just before the first request, and the requests that were not 200.</returns>
    public static async Task<(long Started, int Failures)> RunAsync(Receiver receiver, int subscribers, int concurrency, CancellationToken cancellationToken, int? requests = null)
    {
        var total = requests ?? subscribers;
        var body = receiver.SampleBody ?? throw new InvalidOperationException("No delivered body to send; the Notify run delivered nothing.");
        var contentType = MediaTypeHeaderValue.Parse(receiver.SampleContentType ?? "application/json");
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var next = -1;
        var failures = 0;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url(i % subscribers)) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = contentType;
                foreach (var (name, value) in receiver.SampleHeaders)
                {
                    if (!request.Headers.TryAddWithoutValidation(name, value))
                    {
                        request.Content.Headers.TryAddWithoutValidation(name, value);
                    }
                }

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        await Task.WhenAll(workers);
        return (started, failures);
    }
}
