namespace Notify.Frontend.Https;

/// <summary>
/// HSTS and the redirection of http:// to https:// when, and only when, Notify itself serves HTTPS (a
/// Kestrel endpoint, <c>ASPNETCORE_URLS</c> or <c>ASPNETCORE_HTTPS_PORTS</c> naming https). An install that
/// serves plain HTTP, alone or behind a TLS-terminating load balancer, is not redirected to a port
/// nothing listens on.
/// </summary>
internal static class HttpsServing
{
    public static bool IsConfigured(IConfiguration configuration) =>
        configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(endpoint => IsHttps(endpoint["Url"]))
        || (configuration["urls"] ?? "").Split(';', StringSplitOptions.TrimEntries).Any(IsHttps)
        || !string.IsNullOrEmpty(configuration["https_ports"])
        || !string.IsNullOrEmpty(configuration["https_port"]);

    /// <summary>Strict-Transport-Security on https answers (not for localhost), then http redirected to https.</summary>
    public static IApplicationBuilder UseHttpsWhenServed(this IApplicationBuilder app, IConfiguration configuration)
    {
        if (IsConfigured(configuration))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        return app;
    }

    private static bool IsHttps(string? url) => url?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
}
