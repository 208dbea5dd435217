using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Notify.TestServers;

/// <summary>
/// <c>tests/servers/openapi-traffic-check.js</c>: checks one recorded API exchange against the OpenAPI
/// document of the Frontend that answered it, with Stoplight Prism's validator (an implementation that
/// shares nothing with Notify's). Returns what does not match; the script's header says the rules.
/// </summary>
public sealed class OpenApiCheckServer : LocalServer
{
    // One for the run: the checker is a process-wide singleton too.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task<CheckResult> CheckAsync(Uri document, RecordedRequest request, RecordedResponse response, CancellationToken cancellationToken = default)
    {
        using var answer = await Http.PostAsJsonAsync(
            $"http://127.0.0.1:{Port}/check", new { document = document.AbsoluteUri, request, response }, cancellationToken);
        var text = await answer.Content.ReadAsStringAsync(cancellationToken);
        if (!answer.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The OpenAPI traffic check failed itself ({(int)answer.StatusCode}): {text}");
        }

        return System.Text.Json.JsonSerializer.Deserialize<CheckResult>(text, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
    }

    protected override ProcessStartInfo CreateStartInfo(int port) =>
        NodeScript("openapi-traffic-check.js", "--port", port.ToString(CultureInfo.InvariantCulture));

    public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string? Body);

    public sealed record RecordedResponse(int Status, IReadOnlyDictionary<string, string> Headers, string? Body);

    public sealed record CheckResult(
        [property: JsonPropertyName("operation")] string? Operation,
        [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems);
}
