using System.Text.Json.Serialization;
using Notify.Metadata.Model;

namespace Notify.Metadata.Cache;

/// <summary>
/// Serializers for what the metadata cache holds, generated at build time: the cache is on every publish's
/// path, so no reflection there. The enums carry their own string converters (<c>"webhook"</c>,
/// <c>"confirmed"</c>), so an entry reads the same whichever process wrote it.
/// </summary>
[JsonSerializable(typeof(Topic))]
[JsonSerializable(typeof(SubscriberPage))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
