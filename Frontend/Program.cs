using Notify.Frontend.Api;
using Notify.Frontend.Extensions;
using Notify.Frontend.Keys;
using Notify.Frontend.Sms;
using Notify.Shared.Health;
using Notify.Shared.Metrics;

var builder = WebApplication.CreateBuilder(args);
builder.AddNotifyFrontend();

var app = builder.Build();
app.UseNotifyFrontend();
app.MapNotifyHealth();
app.MapNotifyMetrics();
app.MapTopicsApi();
app.MapSubscriptionsApi();
app.MapSubscriptionSecretApi();
app.MapSubscriptionLinksApi();
app.MapMessagesApi();
app.MapMessageStatusApi();
app.MapDeadLettersApi();
app.MapReplayApi();
app.MapStatsApi();
app.MapKeysApi();
app.MapInboundSmsApi();
app.MapOpenApi().AllowAnonymous();
app.Run();
