using Notify.Frontend.Api;
using Notify.Frontend.Extensions;
using Notify.Frontend.Health;
using Notify.Frontend.Sms;

var builder = WebApplication.CreateBuilder(args);
builder.AddNotifyFrontend();

var app = builder.Build();
app.UseNotifyFrontend();
app.MapHealthApi();
app.MapTopicsApi();
app.MapSubscriptionsApi();
app.MapSubscriptionLinksApi();
app.MapMessagesApi();
app.MapInboundSmsApi();
app.MapOpenApi().AllowAnonymous();
app.Run();
