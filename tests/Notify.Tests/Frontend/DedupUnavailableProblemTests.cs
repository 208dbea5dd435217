using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Frontend.Dedup;
using Notify.Frontend.Errors;

namespace Notify.Tests.Frontend;

public sealed class DedupUnavailableProblemTests
{
    [Fact]
    public async Task DedupUnavailable_IsAnswered503_WithRetryAfterAndTheReason()
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var handler = new ProblemExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<ProblemExceptionHandler>.Instance);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();

        var handled = await handler.TryHandleAsync(context, new DedupUnavailableException("No node of the cache ring answered."), default);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("No node of the cache ring answered.", problem.RootElement.GetProperty("detail").GetString());
    }
}
