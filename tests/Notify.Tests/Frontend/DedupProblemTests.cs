using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Frontend.Dedup;
using Notify.Frontend.Errors;

namespace Notify.Tests.Frontend;

/// <summary>How the API answers a keyed publish that the dedup store could not settle.</summary>
public sealed class DedupProblemTests
{
    [Fact]
    public async Task DedupUnavailable_IsAnswered503_WithRetryAfterAndTheReason()
    {
        var (context, problem) = await AnswerAsync(new DedupUnavailableException("No node of the cache ring answered."));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        Assert.Equal("No node of the cache ring answered.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PublishStillPending_IsAnswered409_WithRetryAfter_AndTheMessageItWaitsFor()
    {
        var (context, problem) = await AnswerAsync(new DedupPendingException("01JMSG", TimeSpan.FromSeconds(30)));

        Assert.Equal(StatusCodes.Status409Conflict, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("01JMSG", detail);
        Assert.Contains("Retry in a moment with the same dedup id", detail);
    }

    private static async Task<(HttpContext Context, JsonElement Problem)> AnswerAsync(Exception exception)
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var handler = new ProblemExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<ProblemExceptionHandler>.Instance);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();

        Assert.True(await handler.TryHandleAsync(context, exception, default));

        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        return (context, problem.RootElement.Clone());
    }
}
