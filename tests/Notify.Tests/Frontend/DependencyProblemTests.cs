using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
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
        var (context, problem) = await AnswerAsync(new DependencyUnavailableException(dependency, "connection refused", new HttpRequestException("connection refused")));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        Assert.Contains(dependency, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientsOwnException_ThatNoStoreTranslated_IsA500()
    {
        var (context, _) = await AnswerAsync(new HttpRequestException("Connection refused"));

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
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
