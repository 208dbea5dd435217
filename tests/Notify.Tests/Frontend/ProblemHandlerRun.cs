using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Frontend.Errors;

namespace Notify.Tests.Frontend;

/// <summary>Runs the API's exception handler on one exception, as ASP.NET Core would, and reads its answer.</summary>
internal static class ProblemHandlerRun
{
    public static async Task<(HttpContext Context, JsonElement Problem)> AnswerAsync(Exception exception)
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
