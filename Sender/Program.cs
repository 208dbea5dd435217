using Notify.Metadata.Extensions;
using Notify.Sender;
using Notify.Sender.Storage;
using Notify.Shared.Configuration;
using Notify.Shared.Health;
using Notify.Shared.Logging;
using Notify.Shared.Metrics;
using Notify.Shared.Queue;

// The Sender alone: pulls from the queue and delivers. Scale it out beside any number of Frontends.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddSecretSafeLogging();
builder.AddNotifyQueue();
// No in-process cache tier in front of the Redis ring: deliveries follow confirmations and unsubscribes at once.
builder.AddNotifyMetadata(inProcessTier: false);
builder.AddNotifySender();
builder.AddNotifyMetrics();
// In Embedded mode the Frontend creates the store; until it has, this Sender is unready and receives nothing.
builder.WaitForEmbeddedStore();

// Links in confirmation requests must point at the Frontend, which this process cannot guess.
builder.Services.AddOptions<NotifyOptions>().Validate(
    o => o.PublicBaseUrl is { IsAbsoluteUri: true },
    "Notify:PublicBaseUrl must be set to the Frontend's absolute URL when the Sender runs on its own.");

var app = builder.Build();
app.MapNotifyHealth();
app.MapNotifyMetrics();
app.Run();
