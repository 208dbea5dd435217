using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>Source-generated JSON for webhook bodies (camelCase, nulls written so the shape never changes).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookNotificationPayload))]
[JsonSerializable(typeof(WebhookConfirmationPayload))]
internal sealed partial class WebhookJson : JsonSerializerContext;
