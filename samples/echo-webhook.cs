#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// A webhook endpoint for trying Notify: prints every request it receives and answers 200.
// Run it with: dotnet run samples/echo-webhook.cs   (listens on http://localhost:5099)
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.Urls.Add("http://localhost:5099");
app.MapPost("/{**path}", async (HttpRequest request) =>
{
    using var reader = new StreamReader(request.Body);
    Console.WriteLine($"--- {request.Method} {request.Path} ({request.Headers["X-Notify-Message-Type"]})");
    Console.WriteLine(await reader.ReadToEndAsync());
    return Results.Ok();
});
Console.WriteLine("Echo webhook listening on http://localhost:5099 (Ctrl+C to stop)");
app.Run();
