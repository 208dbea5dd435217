using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Notify.Frontend.Api.Contracts;

namespace Notify.Frontend.Json;

/// <summary>Source-generated JSON for the API's requests and answers, publish above all.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateTopicRequest))]
[JsonSerializable(typeof(TopicResponse))]
[JsonSerializable(typeof(ListResponse<TopicResponse>))]
[JsonSerializable(typeof(SubscribeRequest))]
[JsonSerializable(typeof(SubscriptionResponse))]
[JsonSerializable(typeof(ListResponse<SubscriptionResponse>))]
[JsonSerializable(typeof(UpdateTopicRequest))]
[JsonSerializable(typeof(UpdateSubscriptionRequest))]
[JsonSerializable(typeof(UnsubscribedResponse))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(PublishResponse))]
[JsonSerializable(typeof(ListResponse<DeadLetterResponse>))]
[JsonSerializable(typeof(DeadLetterDetailResponse))]
[JsonSerializable(typeof(RedriveRequest))]
[JsonSerializable(typeof(RedriveResponse))]
[JsonSerializable(typeof(TopicStatsResponse))]
[JsonSerializable(typeof(SubscriptionStatsResponse))]
[JsonSerializable(typeof(MessageStatusResponse))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(CreatedKeyResponse))]
[JsonSerializable(typeof(KeyResponse))]
[JsonSerializable(typeof(ListResponse<KeyResponse>))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
