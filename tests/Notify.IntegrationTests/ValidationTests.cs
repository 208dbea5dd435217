using System.Net.Http.Json;
using System.Text;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>Every limit and malformed input is answered with the right 4xx problem, never a 500.</summary>
public abstract class ValidationTests(NotifyService notify)
{
    private HttpClient Http => notify.Client.Http;

    public static TheoryData<string, int, string> InvalidTopicBodies => new()
    {
        { """{"name":""}""", 400, "topic name is required" },
        { """{}""", 400, "'name' is required" },
        { """{"name":"has space"}""", 400, "contains ' '" },
        { """{"name":"ünïcode"}""", 400, "use only" },
        { $$"""{"name":"{{new string('a', 257)}}"}""", 400, "limit is 256" },
        { """{"name":123}""", 400, "'name' must be a string, not the number 123" },
        { """{"name":null}""", 400, "'name' must not be null" },
        { """{"name":"orders" """, 400, "not valid JSON" },
        { """not json""", 400, "not valid JSON" },
        { """[]""", 400, "must be a JSON object, not an array" },
        { """{"name":"a"} {"name":"b"}""", 400, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidTopicBodies))]
    public async Task CreateTopic_WithInvalidBody_AnswersProblem(string body, int status, string detail)
    {
        using var response = await Http.PostAsync("v1/topics", new StringContent(body, Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(response, status, detail);
    }

    [Fact]
    public async Task CreateTopic_WithEmptyBody_AnswersProblem()
    {
        using var response = await Http.PostAsync("v1/topics", new StringContent("", Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(response, 400, "body");
    }

    [Fact]
    public async Task CreateTopic_AsPlainText_Answers415()
    {
        using var response = await Http.PostAsync("v1/topics", new StringContent("""{"name":"x"}""", Encoding.UTF8, "text/plain"));
        await ProblemAssert.IsProblemAsync(response, 415, "JSON");
    }

    [Fact]
    public async Task CreateTopic_ExistingName_Answers200WithSameTopic()
    {
        using var first = await Http.PostAsJsonAsync("v1/topics", new { name = "idempotent" });
        using var second = await Http.PostAsJsonAsync("v1/topics", new { name = "idempotent" });

        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal("/v1/topics/idempotent", first.Headers.Location?.OriginalString);
        Assert.Equal(200, (int)second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("v1/topics?limit=0", 400, "an integer from 1 to 100")]
    [InlineData("v1/topics?limit=101", 400, "an integer from 1 to 100")]
    [InlineData("v1/topics?limit=abc", 400, "an integer from 1 to 100; it was 'abc'")]
    [InlineData("v1/topics/missing-topic/subscriptions?limit=1.5", 400, "an integer from 1 to 100")]
    [InlineData("v1/topics?cursor=bogus", 400, "cursor")]
    [InlineData("v1/topics/missing-topic", 404, "does not exist")]
    [InlineData("v1/topics/bad%20name", 400, "use only")]
    [InlineData("v1/topics/missing-topic/subscriptions", 404, "does not exist")]
    [InlineData("v1/subscriptions/0000", 404, "does not exist")]
    [InlineData("v1/subscriptions/0000/confirm?token=x", 404, "not valid or has expired")]
    [InlineData("v1/subscriptions/0000/confirm", 400, "token")]
    [InlineData("v1/nothing-here", 404, "/openapi/v1.json")]
    public async Task Get_WithBadInput_AnswersProblem(string path, int status, string detail)
    {
        using var response = await Http.GetAsync(path);
        await ProblemAssert.IsProblemAsync(response, status, detail);
    }

    [Theory]
    [InlineData("DELETE", "v1/topics/bad%20name")]
    [InlineData("GET", "v1/topics/bad!/subscriptions")]
    [InlineData("POST", "v1/topics/bad!/subscriptions")]
    [InlineData("POST", "v1/topics/bad!/messages")]
    public async Task AnyTopicRoute_WithInvalidName_Answers400(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("""{"message":"x","protocol":"sms","endpoint":"+15551234567"}""", Encoding.UTF8, "application/json") : null,
        };
        using var response = await Http.SendAsync(request);
        await ProblemAssert.IsProblemAsync(response, 400, "use only");
    }

    [Fact]
    public async Task DeleteTopic_Missing_Answers404()
    {
        using var response = await Http.DeleteAsync("v1/topics/never-created");
        await ProblemAssert.IsProblemAsync(response, 404, "does not exist");
    }

    [Fact]
    public async Task Topics_AreListedInPagesWithCursor()
    {
        for (var i = 0; i < 5; i++)
        {
            await notify.Client.CreateTopicAsync($"page-{i}");
        }

        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await NotifyClient.ExpectJsonAsync(await Http.GetAsync($"v1/topics?limit=2{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"), 200);
            Assert.True(page.GetProperty("items").GetArrayLength() <= 2);
            names.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["page-0", "page-1", "page-2", "page-3", "page-4"], names.Where(n => n.StartsWith("page-", StringComparison.Ordinal)));
    }

    public static TheoryData<string, string, int, string> InvalidSubscriptions => new()
    {
        { "subs", """{"protocol":"fax","endpoint":"x"}""", 400, "'protocol' must be one of \"webhook\", \"email\", \"sms\"" },
        { "subs", """{"protocol":"WEBHOOK","endpoint":"https://example.com"}""", 400, "'protocol' must be one of" },
        { "subs", """{"endpoint":"https://example.com"}""", 400, "protocol" },
        { "subs", """{"protocol":"webhook"}""", 400, "'endpoint' is required" },
        { "subs", """{"protocol":"webhook","endpoint":"https://example.com","Endpoint":"x"}""", 400, "Unknown field 'Endpoint'" },
        { "subs", """{"protocol":"webhook","endpoint":"ftp://example.com/x"}""", 400, "http://" },
        { "subs", """{"protocol":"webhook","endpoint":"not a url"}""", 400, "absolute" },
        { "subs", """{"protocol":"webhook","endpoint":"/relative/path"}""", 400, "absolute" },
        { "subs", """{"protocol":"email","endpoint":"alice@"}""", 400, "email address" },
        { "subs", """{"protocol":"email","endpoint":"Alice <alice@example.com>"}""", 400, "email address" },
        { "subs", """{"protocol":"email","endpoint":"alice@localhost"}""", 400, "email address" },
        { "subs", """{"protocol":"sms","endpoint":"5551234567"}""", 400, "E.164" },
        { "subs", """{"protocol":"sms","endpoint":"+1 555 123 4567"}""", 400, "E.164" },
        { "subs", """{"protocol":"sms","endpoint":"+1234567890123456"}""", 400, "E.164" },
        { "no-such-topic", """{"protocol":"sms","endpoint":"+15551234567"}""", 404, "does not exist" },
        { "bad!", """{"protocol":"sms","endpoint":"+15551234567"}""", 400, "use only" },
    };

    [Theory]
    [MemberData(nameof(InvalidSubscriptions))]
    public async Task Subscribe_WithInvalidInput_AnswersProblem(string topic, string body, int status, string detail)
    {
        await notify.Client.CreateTopicAsync("subs");
        using var response = await Http.PostAsync($"v1/topics/{topic}/subscriptions", new StringContent(body, Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(response, status, detail);
    }

    [Fact]
    public async Task Subscribe_EmailAndSms_AreValidatedAndStored()
    {
        await notify.Client.CreateTopicAsync("channels");

        var email = await notify.Client.SubscribeAsync("channels", "email", "Alice@Example.COM");
        var sms = await notify.Client.SubscribeAsync("channels", "sms", "+15551234567");
        var again = await notify.Client.SubscribeAsync("channels", "sms", "+15551234567");

        Assert.Equal("Alice@example.com", email.GetProperty("endpoint").GetString());
        Assert.Equal("pending", email.GetProperty("status").GetString());
        Assert.Equal("confirmed", sms.GetProperty("status").GetString());
        Assert.Equal(sms.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.False(email.TryGetProperty("confirmToken", out _));
        var listed = await NotifyClient.ExpectJsonAsync(await Http.GetAsync("v1/topics/channels/subscriptions"), 200);
        Assert.Equal(2, listed.GetProperty("items").GetArrayLength());
    }

    public static TheoryData<string, int, string> InvalidPublishes => new()
    {
        { """{}""", 400, "message is required" },
        { """{"message":""}""", 400, "message is required" },
        { $$"""{"message":"x","subject":"{{new string('s', 101)}}"}""", 400, "1 to 100 characters" },
        { """{"message":"x","subject":"line\nbreak"}""", 400, "line breaks" },
        { """{"message":"x","subject":""}""", 400, "1 to 100 characters" },
        { "{\"message\":\"x\",\"attributes\":{" + string.Join(",", Enumerable.Range(0, 11).Select(i => $"\"a{i}\":\"v\"")) + "}}", 400, "at most 10 attributes" },
        { """{"message":"x","attributes":{"a":null}}""", 400, "no value" },
        { """{"message":"x","attributes":{"a":1}}""", 400, "'attributes.a' must be a string, not the number 1" },
        { $$"""{"message":"x","dedupId":"{{new string('d', 129)}}"}""", 400, "1 to 128" },
        { """{"message":"x","dedupId":"has space"}""", 400, "printable ASCII" },
        { """{"message":42}""", 400, "'message' must be a string, not the number 42" },
        { """{"message":"x","messages":{"push":"y"}}""", 400, "'push' is not a key of messages" },
    };

    [Theory]
    [MemberData(nameof(InvalidPublishes))]
    public async Task Publish_WithInvalidBody_AnswersProblem(string body, int status, string detail)
    {
        await notify.Client.CreateTopicAsync("publish-limits");
        using var response = await Http.PostAsync("v1/topics/publish-limits/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(response, status, detail);
    }

    [Fact]
    public async Task Publish_DedupIdAndIdempotencyKeyDiffering_Answers400()
    {
        await notify.Client.CreateTopicAsync("publish-limits");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/topics/publish-limits/messages")
        {
            Content = JsonContent.Create(new { message = "x", dedupId = "a" }),
        };
        request.Headers.Add("Idempotency-Key", "b");
        using var response = await Http.SendAsync(request);
        await ProblemAssert.IsProblemAsync(response, 400, "differ");
    }

    [Fact]
    public async Task Publish_ToMissingTopic_Answers404()
    {
        using var response = await Http.PostAsJsonAsync("v1/topics/never-made/messages", new { message = "x" });
        await ProblemAssert.IsProblemAsync(response, 404, "does not exist");
    }

    [Fact]
    public async Task Publish_At256KiB_IsAccepted_AndOneByteMoreIs413()
    {
        await notify.Client.CreateTopicAsync("big");
        using var atLimit = await Http.PostAsJsonAsync("v1/topics/big/messages", new { message = new string('m', 256 * 1024) });
        using var overLimit = await Http.PostAsJsonAsync("v1/topics/big/messages", new { message = new string('m', 256 * 1024 + 1) });
        using var multiByte = await Http.PostAsJsonAsync("v1/topics/big/messages", new { message = new string('é', 128 * 1024 + 1) });

        Assert.Equal(202, (int)atLimit.StatusCode);
        await ProblemAssert.IsProblemAsync(overLimit, 413, "262,144");
        await ProblemAssert.IsProblemAsync(multiByte, 413, "262,146");
    }

    [Fact]
    public async Task Publish_BodyBeyondRequestLimit_Answers413()
    {
        await notify.Client.CreateTopicAsync("big");
        var body = $$"""{"message":"{{new string('m', 3 * 1024 * 1024)}}"}""";
        // Expect: 100-continue lets the server refuse by Content-Length before the client writes the
        // body, as a well-behaved client does; otherwise the refusal races the upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/topics/big/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await Http.SendAsync(request);
        await ProblemAssert.IsProblemAsync(response, 413, "too large");
    }

    [Fact]
    public async Task Links_WithWrongToken_Answer404AsForAnUnknownSubscription()
    {
        await notify.Client.CreateTopicAsync("tokens");
        var subscription = await notify.Client.SubscribeAsync("tokens", "email", "bob@example.com");
        using var anonymous = OpenApiContract.CreateClient(notify.Process.BaseAddress);

        using var confirm = await anonymous.GetAsync($"v1/subscriptions/{subscription.GetProperty("id").GetString()}/confirm?token=wrong");
        using var unsubscribe = await anonymous.GetAsync($"v1/subscriptions/{subscription.GetProperty("id").GetString()}/unsubscribe?token=wrong");

        await ProblemAssert.IsProblemAsync(confirm, 404, "This link is not valid or has expired");
        await ProblemAssert.IsProblemAsync(unsubscribe, 404, "This link is not valid or has expired");
    }

    [Fact]
    public async Task WrongMethod_Answers405Problem()
    {
        using var response = await Http.PutAsJsonAsync("v1/topics", new { name = "x" });
        await ProblemAssert.IsProblemAsync(response, 405, "not allowed");
    }
}

public sealed class EmbeddedValidationTests(ServiceFixture fixture) : ValidationTests(fixture.Notify), IClassFixture<ServiceFixture>;

public sealed class AwsValidationTests(AwsServiceFixture fixture) : ValidationTests(fixture.Notify), IClassFixture<AwsServiceFixture>;
