using Microsoft.AspNetCore.Http;
using Notify.Frontend.Errors;
using Notify.Shared.Dependencies;

namespace Notify.Tests.Frontend;

/// <summary>How the API answers when what Notify stands on is unavailable, and when something else fails.</summary>
public sealed class DependencyProblemTests
{
    [Theory]
    [InlineData(DependencyNames.Sqs)]
    [InlineData(DependencyNames.DynamoDb)]
    [InlineData(DependencyNames.DataFiles)]
    public async Task DependencyUnavailable_IsAnswered503_WithRetryAfter_NamingTheDependency(string dependency)
    {
        var (context, problem) = await ProblemHandlerRun.AnswerAsync(new DependencyUnavailableException(dependency, "connection refused", new HttpRequestException("connection refused")));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        Assert.Contains(dependency, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientsOwnException_ThatNoStoreTranslated_IsA500()
    {
        var (context, _) = await ProblemHandlerRun.AnswerAsync(new HttpRequestException("Connection refused"));

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
    }
}
