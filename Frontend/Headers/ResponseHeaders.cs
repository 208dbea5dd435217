namespace Notify.Frontend.Headers;

/// <summary>
/// Headers every answer carries, problems and 404s included: <c>X-Content-Type-Options: nosniff</c>, so a
/// browser never runs an answer as another type than it says, and <c>Cache-Control: no-store</c>, so no
/// proxy or browser keeps an answer that may hold a subscription's endpoint. An endpoint that sets its own
/// Cache-Control keeps it. (Kestrel's Server header is switched off where Kestrel is configured.)
/// </summary>
internal static class ResponseHeaders
{
    public static IApplicationBuilder UseResponseHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // On starting, not now: the exception handler clears the headers of a failed call before
            // writing its problem, and callbacks registered here still run after that.
            context.Response.OnStarting(
                static state =>
                {
                    var headers = ((HttpResponse)state).Headers;
                    headers.XContentTypeOptions = "nosniff";
                    if (string.IsNullOrEmpty(headers.CacheControl))
                    {
                        headers.CacheControl = "no-store";
                    }

                    return Task.CompletedTask;
                },
                context.Response);
            return next(context);
        });
}
