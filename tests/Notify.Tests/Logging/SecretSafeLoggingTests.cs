using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Notify.Shared.Logging;

namespace Notify.Tests.Logging;

/// <summary>
/// The logging guard with the framework's own loggers at Trace: ASP.NET Core's request lines, the
/// HttpClient factory's request logging, exceptions and scopes keep their use and lose their secrets.
/// </summary>
public sealed class SecretSafeLoggingTests
{
    private readonly FakeLogCollector _logs = new();

    [Fact]
    public async Task RequestLines_KeepMethodPathAndStatus_ButNotTheQuery()
    {
        var builder = WebApplication.CreateSlimBuilder();

        // As a user would set it, over the appsettings.json in this test's folder.
        builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        LogEverything(builder.Logging);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/items/{id}", (string id) => id);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var http = new HttpClient();
        Assert.Equal("7", await http.GetStringAsync($"{address}/items/7?token=tok3nvalue&api_key=k3yvalue"));
        await app.StopAsync();

        var requestLines = _logs.GetSnapshot().Where(r => r.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && r.Message.StartsWith("Request ", StringComparison.Ordinal)).ToList();
        Assert.Contains(requestLines, r => r.Message.Contains("GET http://127.0.0.1", StringComparison.Ordinal) && r.Message.Contains("/items/7" + Redact.Query, StringComparison.Ordinal));
        Assert.Contains(requestLines, r => r.Message.Contains(" 200 ", StringComparison.Ordinal));
        Assert.All(requestLines, r => Assert.Equal(Redact.Query, r.StructuredState!.Single(p => p.Key == "QueryString").Value));
        AssertAbsent("tok3nvalue", "k3yvalue");
    }

    [Fact]
    public async Task HttpClientFactoryLogging_NamesTheHostOnly()
    {
        var services = new ServiceCollection();
        services.AddLogging(LogEverything);
        services.AddHttpClient("plain");
        await using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("plain");

        // Port 9 (discard) on loopback refuses the connection: the request is logged, then fails.
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://us3r:passw0rd@127.0.0.1:9/hooks/s3cretpath?sig=s1gnature"));

        Assert.Contains(_logs.GetSnapshot(), r => r.Category?.StartsWith("System.Net.Http.HttpClient.plain", StringComparison.Ordinal) == true && r.Message.Contains("http://127.0.0.1:9", StringComparison.Ordinal));
        AssertAbsent("us3r", "passw0rd", "s3cretpath", "s1gnature");
    }

    [Fact]
    public void ExceptionsAndScopes_AreRedactedLikeMessages()
    {
        using var provider = LoggingServices();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Some.Library");

        using (logger.BeginScope("Calling {Url} for {Recipient}", "https://hooks.example.com/s3cretpath?sig=s1gnature", "jane.d0e@example.com"))
        {
            logger.LogWarning(
                new InvalidOperationException("Posting to https://us3r:passw0rd@hooks.example.com/s3cretpath failed", new IOException("The 'To' number +447911123456 is not valid")),
                "Delivery to {Number} failed",
                "+447911123456");
        }

        var record = Assert.Single(_logs.GetSnapshot());
        Assert.Equal("Delivery to +4479******56 failed", record.Message);
        Assert.Contains("https://hooks.example.com failed", record.Exception!.ToString(), StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", record.Exception.ToString(), StringComparison.Ordinal);
        Assert.Contains("Calling https://hooks.example.com for j***@example.com", record.Scopes.Single()!.ToString(), StringComparison.Ordinal);
        AssertAbsent("us3r", "passw0rd", "s3cretpath", "s1gnature", "jane.d0e", "7911123456");
        Assert.DoesNotContain(record.Scopes, s => s!.ToString()!.Contains("s1gnature", StringComparison.Ordinal));
    }

    [Fact]
    public void ObjectsLogged_AreJudgedByTheTextTheyPrint()
    {
        using var provider = LoggingServices();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Some.Library");
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://us3r:passw0rd@hooks.example.com/s3cretpath?sig=s1gnature");

        logger.LogDebug("Sending {Request}", request);

        var record = Assert.Single(_logs.GetSnapshot());
        Assert.StartsWith("Sending Method: POST, RequestUri: 'https://hooks.example.com'", record.Message, StringComparison.Ordinal);
        AssertAbsent("us3r", "passw0rd", "s3cretpath", "s1gnature");
    }

    [Fact]
    public void TextWithoutSecrets_IsLoggedUnchanged()
    {
        using var provider = LoggingServices();
        var logger = provider.GetRequiredService<ILogger<SecretSafeLoggingTests>>();

        logger.LogInformation("Delivered message {MessageId} at attempt {Attempt}", "01a2b3", 2);

        var record = Assert.Single(_logs.GetSnapshot());
        Assert.Equal("Delivered message 01a2b3 at attempt 2", record.Message);
        Assert.Equal("Delivered message {MessageId} at attempt {Attempt}", record.StructuredState!.Single(p => p.Key == "{OriginalFormat}").Value);
    }

    private ServiceProvider LoggingServices() => new ServiceCollection().AddLogging(LogEverything).BuildServiceProvider();

    /// <summary>Every category at Trace, scopes on, into the collector; the guard added last, as the hosts add it.</summary>
    private void LogEverything(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddProvider(new FakeLoggerProvider(_logs));
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter((_, _) => true);
        logging.AddSecretSafeLogging();
    }

    private void AssertAbsent(params string[] secrets)
    {
        var records = _logs.GetSnapshot();
        var text = string.Join('\n', records.Select(r =>
            $"{r.Message} {r.Exception} {string.Join(' ', r.Scopes.Select(s => s?.ToString()))} {string.Join(' ', r.StructuredState?.Select(p => p.Value) ?? [])}"));
        Assert.NotEmpty(records);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
