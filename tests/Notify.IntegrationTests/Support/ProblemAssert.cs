using System.Text.Json;

namespace Notify.IntegrationTests.Support;

internal static class ProblemAssert
{
    /// <summary>
    /// The answer is <paramref name="status"/> with an application/problem+json body whose detail tells
    /// the caller what to fix, and no stack trace.
    /// </summary>
    public static async Task<string> IsProblemAsync(HttpResponseMessage response, int status, string? detailContains = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), $"The problem has no detail: {body}");
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);

        // API terms only: no .NET type names ("Notify.Frontend.Api.Contracts.CreateTopicRequest", "Nullable<int>", "System.String").
        Assert.DoesNotMatch(@"\b(System|Notify|Microsoft)\.[A-Z]|Nullable<|Int32|Dictionary`", body);
        // One title per status, whoever wrote the problem (a handler, the framework, the exception handler).
        Assert.Equal(TitleOf(status), problem.GetProperty("title").GetString());
        if (status == 400)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(), $"A 400 names the fields at fault in errors: {body}");
        }
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, detail, StringComparison.OrdinalIgnoreCase);
        }

        return detail!;
    }

    private static string TitleOf(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No title expected for this status yet."),
    };
}
