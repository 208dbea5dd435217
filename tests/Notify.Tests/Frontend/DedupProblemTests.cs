using Microsoft.AspNetCore.Http;
using Notify.Frontend.Dedup;
using Notify.Frontend.Errors;

namespace Notify.Tests.Frontend;

/// <summary>How the API answers a keyed publish that the dedup store could not settle.</summary>
public sealed class DedupProblemTests
{
    [Fact]
    public async Task DedupUnavailable_IsAnswered503_WithRetryAfterAndTheReason()
    {
        var (context, problem) = await ProblemHandlerRun.AnswerAsync(new DedupUnavailableException("No node of the cache ring answered."));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        Assert.Equal("No node of the cache ring answered.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PublishStillPending_IsAnswered409_WithRetryAfter_AndTheMessageItWaitsFor()
    {
        var (context, problem) = await ProblemHandlerRun.AnswerAsync(new DedupPendingException("01JMSG", TimeSpan.FromSeconds(30)));

        Assert.Equal(StatusCodes.Status409Conflict, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("01JMSG", detail);
        Assert.Contains("Retry in a moment with the same dedup id", detail);
    }
}
