using System.Net.Http.Headers;
using Notify.TestServers;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// Every HTTP client the end-to-end tests point at a Frontend goes through <see cref="Handler"/>: each
/// exchange under <c>/v1</c> is checked against the OpenAPI document that Frontend serves, and a mismatch
/// fails the call (and so the test) with what did not match. One checker serves the whole test run.
/// </summary>
public static class OpenApiContract
{
    private static readonly Lazy<Task<OpenApiCheckServer>> Checker = new(StartAsync);

    /// <summary>An HttpClient whose exchanges with Notify are checked against its OpenAPI document.</summary>
    public static HttpClient CreateClient(Uri? baseAddress = null, TimeSpan? timeout = null) =>
        new(new Handler { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = baseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };

    /// <summary>Stops the checker once every test has run (<see cref="IntegrationTestFramework"/>).</summary>
    public static async Task StopAsync()
    {
        if (Checker.IsValueCreated && Checker.Value.IsCompletedSuccessfully)
        {
            await (await Checker.Value).DisposeAsync();
        }
    }

    private static async Task<OpenApiCheckServer> StartAsync()
    {
        var server = new OpenApiCheckServer();
        await server.InitializeAsync();
        return server;
    }

    public sealed class Handler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string? requestBody = null;
            if (request.Content is not null)
            {
                await request.Content.LoadIntoBufferAsync(cancellationToken);
                requestBody = await request.Content.ReadAsStringAsync(cancellationToken);
            }

            var response = await base.SendAsync(request, cancellationToken);
            var uri = request.RequestUri!;
            if (!uri.AbsolutePath.StartsWith("/v1/", StringComparison.Ordinal))
            {
                return response;
            }

            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var responseBody = await response.Content.ReadAsStringAsync(cancellationToken);
            var checker = await Checker.Value;
            var result = await checker.CheckAsync(
                new Uri(uri, "/openapi/v1.json"),
                new OpenApiCheckServer.RecordedRequest(request.Method.Method, uri.PathAndQuery, Flatten(request.Headers, request.Content?.Headers), requestBody),
                new OpenApiCheckServer.RecordedResponse((int)response.StatusCode, Flatten(response.Headers, response.Content.Headers), responseBody),
                cancellationToken);
            if (result.Problems.Count > 0)
            {
                response.Dispose();
                throw new OpenApiMismatchException(
                    $"{request.Method} {uri.PathAndQuery} ({result.Operation ?? "no operation"}) does not match the OpenAPI document:\n- " +
                    string.Join("\n- ", result.Problems) + $"\nAnswer {(int)response.StatusCode}: {Shorten(responseBody)}");
            }

            return response;
        }

        private static Dictionary<string, string> Flatten(HttpHeaders headers, HttpHeaders? contentHeaders) =>
            headers.Concat(contentHeaders ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);

        private static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
    }
}

/// <summary>An exchange with Notify that its OpenAPI document does not describe.</summary>
public sealed class OpenApiMismatchException(string message) : Exception(message);
