using System.Text.Json;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>
/// What a client generator reads from <c>/openapi/v1.json</c>, checked on the document a running Frontend
/// serves. Whether the answers match it is checked on every call by <see cref="OpenApiContract"/>; these
/// check what traffic cannot show: what is required, which calls need a key, that each is described.
/// </summary>
public sealed class OpenApiDocumentTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static readonly string[] AnonymousOperations = ["ConfirmSubscription", "Unsubscribe", "UnsubscribeOneClick", "InboundSms"];

    [Fact]
    public async Task EveryOperation_HasASummaryDescriptionAndProblemAnswers()
    {
        foreach (var (path, method, operation) in Operations(await DocumentAsync()))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{name} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), $"{name} has no description");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), $"{name} has no operationId");
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => int.Parse(r.Name) >= 400))
            {
                var schema = response.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString();
                Assert.True(
                    schema == (response.Name == "400" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails"),
                    $"{name} answers {response.Name} with {schema}");
            }

            Assert.True(operation.GetProperty("responses").TryGetProperty("503", out _), $"{name} does not list 503 (a dependency down)");
        }
    }

    [Fact]
    public async Task OnlyTheLinksAndTwiliosWebhook_GoWithoutAKey()
    {
        var document = await DocumentAsync();
        Assert.False(document.TryGetProperty("security", out _), "a document-wide security requirement would apply to the links too");
        foreach (var (path, method, operation) in Operations(document))
        {
            var id = operation.GetProperty("operationId").GetString()!;
            var secured = operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0;
            Assert.True(secured != AnonymousOperations.Contains(id), $"{method} {path} ({id}) security: {secured}");
            Assert.Equal(secured, operation.GetProperty("responses").TryGetProperty("401", out _));
            Assert.Equal(secured, operation.GetProperty("responses").TryGetProperty("429", out var throttled) && throttled.GetProperty("headers").TryGetProperty("Retry-After", out _));
        }
    }

    [Fact]
    public async Task Schemas_RequireWhatTheApiRequires_AndNameTheirValues()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        Assert.Equal(["name"], Required(schemas, "CreateTopicRequest"));
        Assert.Equal(["protocol", "endpoint"], Required(schemas, "SubscribeRequest"));
        Assert.Empty(Required(schemas, "PublishRequest"));
        Assert.Empty(Required(schemas, "UpdateTopicRequest"));
        Assert.DoesNotContain("defaultMessage", schemas.GetProperty("PublishRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["id", "topic", "protocol", "endpoint", "status", "createdAt", "deliveryPolicy"], Required(schemas, "SubscriptionResponse"));
        Assert.Equal(["secret", "previousSecretExpiresAt"], Required(schemas, "SecretResponse"));
        Assert.Equal(["webhook", "email", "sms"], Values(schemas, "Protocol"));
        Assert.Equal(["pending", "confirmed", "opted-out", "unsubscribed", "disabled"], Values(schemas, "SubscriptionState"));

        foreach (var request in new[] { "SubscribeRequest", "UpdateSubscriptionRequest" })
        {
            var policy = schemas.GetProperty(request).GetProperty("properties").GetProperty("deliveryPolicy").GetProperty("properties");
            var retry = policy.GetProperty("retrySeconds");
            Assert.Equal((20, 0, 86_400), (retry.GetProperty("maxItems").GetInt32(), retry.GetProperty("items").GetProperty("minimum").GetInt32(), retry.GetProperty("items").GetProperty("maximum").GetInt32()));
            Assert.Equal((0.01, 10_000.0), (policy.GetProperty("maxPerSecond").GetProperty("minimum").GetDouble(), policy.GetProperty("maxPerSecond").GetProperty("maximum").GetDouble()));
        }

        // Delivery state: every count and time is always there; what may be absent is not required.
        Assert.Equal(["messageId", "topic", "publishedAt", "attempts", "lastError", "permanent", "deadLetteredAt", "expiresAt"], Required(schemas, "DeadLetterResponse"));
        Assert.Equal(["messageId", "topic", "publishedAt", "attempts", "lastError", "permanent", "deadLetteredAt", "expiresAt", "attemptLog", "message"], Required(schemas, "DeadLetterDetailResponse"));
        Assert.Equal(["message", "timestamp"], Required(schemas, "DeadLetterMessageResponse"));
        Assert.Empty(Required(schemas, "RedriveRequest"));
        Assert.Equal(["redriven", "more", "nextCursor"], Required(schemas, "RedriveResponse"));
        Assert.Equal(["published", "delivered", "retrying", "deadLettered", "disabledSubscriptions", "lastHour"], Required(schemas, "TopicStatsResponse"));
        Assert.Equal(["published", "delivered", "retrying", "deadLettered", "lastHour"], Required(schemas, "SubscriptionStatsResponse"));
        Assert.Equal(["messageId", "topic", "publishedAt", "subscribers", "delivered", "retrying", "deadLettered", "retries"], Required(schemas, "MessageStatusResponse"));
        var messageIds = schemas.GetProperty("RedriveRequest").GetProperty("properties").GetProperty("messageIds");
        Assert.Equal((1, 100), (messageIds.GetProperty("minItems").GetInt32(), messageIds.GetProperty("maxItems").GetInt32()));
        Assert.Equal(3, schemas.GetProperty("RedriveRequest").GetProperty("not").GetProperty("anyOf").GetArrayLength());
        Assert.Equal("date-time", schemas.GetProperty("RedriveRequest").GetProperty("properties").GetProperty("from").GetProperty("format").GetString());

        var name = schemas.GetProperty("CreateTopicRequest").GetProperty("properties").GetProperty("name");
        Assert.Equal(("^[A-Za-z0-9_-]+$", 1, 256), (name.GetProperty("pattern").GetString(), name.GetProperty("minLength").GetInt32(), name.GetProperty("maxLength").GetInt32()));
        var subject = schemas.GetProperty("PublishRequest").GetProperty("properties").GetProperty("subject");
        Assert.Equal(100, subject.GetProperty("maxLength").GetInt32());
        Assert.Equal(10, schemas.GetProperty("PublishRequest").GetProperty("properties").GetProperty("attributes").GetProperty("maxProperties").GetInt32());
        Assert.True(schemas.GetProperty("PublishRequest").TryGetProperty("examples", out _));
        foreach (var schema in schemas.EnumerateObject())
        {
            Assert.DoesNotContain('`', schema.Name);
            Assert.False(schema.Name.StartsWith("Nullable", StringComparison.Ordinal), schema.Name);
        }
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var http = OpenApiContract.CreateClient(fixture.Notify.Process.BaseAddress);
        return JsonDocument.Parse(await http.GetStringAsync("openapi/v1.json")).RootElement.Clone();
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(m => m.Name != "parameters").Select(m => (path.Name, m.Name, m.Value)));

    private static string[] Required(JsonElement schemas, string name) =>
        schemas.GetProperty(name).TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToArray() : [];

    private static string[] Values(JsonElement schemas, string name) =>
        schemas.GetProperty(name).GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToArray();
}
