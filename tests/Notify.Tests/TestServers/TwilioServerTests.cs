using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Notify.TestServers;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;

namespace Notify.Tests.TestServers;

/// <summary>The Twilio stand-in answers as Twilio's Messages API documents, and does what a test scripts.</summary>
public sealed partial class TwilioServerTests : IClassFixture<TwilioServer>, IDisposable
{
    private const string To = "+15558675310";
    private const string From = "+15017122661";

    private readonly TwilioServer _twilio;
    private readonly HttpClient _http = new();

    public TwilioServerTests(TwilioServer twilio)
    {
        _twilio = twilio;
        _twilio.Reset();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_valid_request_gets_201_and_the_message_resource()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var response = await PostAsync(new() { ["To"] = To, ["From"] = From, ["Body"] = "Hello", ["StatusCallback"] = "https://notify.example.com/twilio/status" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var message = await JsonAsync(response);
        var sid = message.GetProperty("sid").GetString()!;
        Assert.Matches(MessageSid(), sid);
        Assert.Equal(_twilio.AccountSid, message.GetProperty("account_sid").GetString());
        Assert.Equal(To, message.GetProperty("to").GetString());
        Assert.Equal(From, message.GetProperty("from").GetString());
        Assert.Equal("Hello", message.GetProperty("body").GetString());
        Assert.Equal("queued", message.GetProperty("status").GetString());
        Assert.Equal("1", message.GetProperty("num_segments").GetString());
        Assert.Equal("outbound-api", message.GetProperty("direction").GetString());
        Assert.Equal("2010-04-01", message.GetProperty("api_version").GetString());
        Assert.Equal($"/2010-04-01/Accounts/{_twilio.AccountSid}/Messages/{sid}.json", message.GetProperty("uri").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("messaging_service_sid").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("error_code").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("error_message").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("date_sent").ValueKind);
        var created = DateTimeOffset.ParseExact(message.GetProperty("date_created").GetString()!, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture);
        Assert.InRange(created, before, DateTimeOffset.UtcNow.AddSeconds(1));

        var request = Assert.Single(_twilio.Sent);
        Assert.Equal(sid, request.MessageSid);
        Assert.Equal(_twilio.AccountSid, request.AccountSid);
        Assert.Equal(_twilio.AccountSid, request.AuthorizationUser);
        Assert.Equal(_twilio.AuthToken, request.AuthorizationPassword);
        Assert.Equal("https://notify.example.com/twilio/status", request.Form["StatusCallback"]);
        Assert.Equal(201, request.Status);
        Assert.False(request.Abandoned);
    }

    [Fact]
    public async Task Its_answers_read_as_Twilios_own_SDK_reads_them()
    {
        using var created = await PostAsync(Valid());
        using var refused = await PostAsync(Valid(), password: "not-the-token");

        var message = MessageResource.FromJson(await created.Content.ReadAsStringAsync());
        Assert.Equal(Assert.Single(_twilio.Sent).MessageSid, message.Sid);
        Assert.Equal(MessageResource.StatusEnum.Queued, message.Status);
        Assert.Equal(To, message.To);
        Assert.Equal("1", message.NumSegments);
        Assert.NotNull(message.DateCreated);
        var error = RestException.FromJson(await refused.Content.ReadAsStringAsync());
        Assert.Equal((20003, 401, "Authenticate"), (error.Code, error.Status, error.Message));
    }

    [Fact]
    public async Task Through_a_messaging_service_alone_the_message_is_accepted_without_a_sender_yet()
    {
        var service = "MG" + new string('a', 32);
        using var response = await PostAsync(new() { ["To"] = To, ["MessagingServiceSid"] = service, ["Body"] = "Hello" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = await JsonAsync(response);
        Assert.Equal(service, message.GetProperty("messaging_service_sid").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("from").ValueKind);
        Assert.Equal("accepted", message.GetProperty("status").GetString());
        Assert.Equal("0", message.GetProperty("num_segments").GetString());
    }

    [Theory]
    [InlineData(160, "a", "1")]
    [InlineData(161, "a", "2")]
    [InlineData(306, "a", "2")]
    [InlineData(307, "a", "3")]
    [InlineData(80, "€", "1")] // An extension character takes two septets.
    [InlineData(81, "€", "2")]
    [InlineData(70, "ж", "1")] // Outside GSM-7: UCS-2.
    [InlineData(71, "ж", "2")]
    public async Task Num_segments_counts_gsm7_and_ucs2_bodies(int repeat, string character, string segments)
    {
        using var response = await PostAsync(new() { ["To"] = To, ["From"] = From, ["Body"] = string.Concat(Enumerable.Repeat(character, repeat)) });

        Assert.Equal(segments, (await JsonAsync(response)).GetProperty("num_segments").GetString());
    }

    [Fact]
    public async Task Wrong_or_missing_credentials_get_401_20003_and_nothing_is_sent()
    {
        using var wrong = await PostAsync(Valid(), password: "not-the-token");
        using var missing = await PostAsync(Valid(), user: null);

        foreach (var response in new[] { wrong, missing })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            var error = await ErrorAsync(response, 20003, 401);
            Assert.Equal("Authenticate", error.GetProperty("message").GetString());
        }

        Assert.Empty(_twilio.Sent);
        Assert.Equal("not-the-token", _twilio.Requests[0].AuthorizationPassword);
        Assert.Null(_twilio.Requests[1].AuthorizationUser);
        Assert.Null(_twilio.Requests[1].AuthorizationPassword);
    }

    [Fact]
    public async Task Another_account_in_the_path_gets_404_20404()
    {
        var other = "AC" + new string('0', 32);
        using var response = await PostAsync(Valid(), accountSid: other);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await ErrorAsync(response, 20404, 404);
        Assert.Contains($"/2010-04-01/Accounts/{other}/Messages.json", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(other, Assert.Single(_twilio.Requests).AccountSid);
    }

    [Theory]
    [InlineData("To", 21604, "A 'To' phone number is required.")]
    [InlineData("From", 21603, "A 'From' phone number is required.")]
    [InlineData("Body", 21602, "Message body is required.")]
    public async Task A_missing_field_gets_400_with_its_twilio_code(string missing, int code, string message)
    {
        var form = Valid();
        form.Remove(missing);
        using var response = await PostAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response, code, 400);
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(400, Assert.Single(_twilio.Requests).Status);
    }

    [Fact]
    public async Task A_failing_number_gets_its_scripted_error_and_others_still_send()
    {
        _twilio.FailNumber("+15550000001", 400, 21211, "The 'To' number +15550000001 is not a valid phone number.");
        _twilio.FailNumber("+15550000002", 400, 21610, "Attempt to send to unsubscribed recipient");

        using var invalid = await PostAsync(Valid(to: "+15550000001"));
        using var unsubscribed = await PostAsync(Valid(to: "+15550000002"));
        using var fine = await PostAsync(Valid());

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("The 'To' number +15550000001 is not a valid phone number.", (await ErrorAsync(invalid, 21211, 400)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unsubscribed.StatusCode);
        Assert.Equal("Attempt to send to unsubscribed recipient", (await ErrorAsync(unsubscribed, 21610, 400)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Created, fine.StatusCode);
        Assert.Equal(To, Assert.Single(_twilio.Sent).Form["To"]);
    }

    [Fact]
    public async Task Scripted_transient_failures_come_in_order_then_requests_succeed()
    {
        _twilio.FailNextRequests(2, 429, retryAfterSeconds: 3);
        _twilio.FailNextRequests(1, 503);
        _twilio.FailNextRequests(1, 500);

        // A request Twilio turns away at the door does not use a scripted failure up.
        using var unauthenticated = await PostAsync(Valid(), password: "wrong");
        using var first = await PostAsync(Valid());
        using var second = await PostAsync(Valid());
        using var third = await PostAsync(Valid());
        using var fourth = await PostAsync(Valid());
        using var fifth = await PostAsync(Valid());

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), first.Headers.RetryAfter?.Delta);
        Assert.Equal("Too Many Requests", (await ErrorAsync(first, 20429, 429)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Null(third.Headers.RetryAfter);
        Assert.Equal("Service Unavailable", (await ErrorAsync(third, 20503, 503)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.InternalServerError, fourth.StatusCode);
        Assert.Equal("Internal Server Error", (await ErrorAsync(fourth, 20500, 500)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Created, fifth.StatusCode);
        Assert.Equal([401, 429, 429, 503, 500, 201], _twilio.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task A_slow_answer_the_caller_gives_up_on_still_creates_the_message()
    {
        _twilio.Delay = TimeSpan.FromSeconds(5);
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => PostAsync(Valid(), client: impatient));

        var sent = Assert.Single(await _twilio.WaitForSentAsync(r => r.Form["To"] == To, 1, TimeSpan.FromSeconds(10), "the abandoned message"));
        Assert.True(sent.Abandoned);
        Assert.NotNull(sent.MessageSid);
    }

    [Fact]
    public async Task A_wait_that_times_out_says_what_it_waited_for_and_what_came()
    {
        using var response = await PostAsync(Valid(to: "+15550009999"));

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => _twilio.WaitForSentAsync(r => r.Form["To"] == To, 1, TimeSpan.FromMilliseconds(200), "the SMS to the subscriber"));

        Assert.Contains("the SMS to the subscriber", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 request(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("201 to +15550009999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_path_gets_twilios_404()
    {
        using var response = await _http.GetAsync(new Uri(_twilio.BaseUrl, "/2010-04-01/Accounts/x/Calls.json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await ErrorAsync(response, 20404, 404);
    }

    private Dictionary<string, string> Valid(string to = To) => new() { ["To"] = to, ["From"] = From, ["Body"] = "Hello" };

    private Task<HttpResponseMessage> PostAsync(
        Dictionary<string, string> form, string? accountSid = null, string? user = "", string? password = null, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_twilio.BaseUrl, $"/2010-04-01/Accounts/{accountSid ?? _twilio.AccountSid}/Messages.json"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        if (user is not null)
        {
            var credentials = $"{(user.Length == 0 ? _twilio.AccountSid : user)}:{password ?? _twilio.AuthToken}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        return SendAsync(client ?? _http, request);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            return await client.SendAsync(request);
        }
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    // Twilio's error body: exactly code, message, more_info and status (401s add a detail).
    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, int code, int status)
    {
        var error = await JsonAsync(response);
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(status, error.GetProperty("status").GetInt32());
        Assert.Equal($"https://www.twilio.com/docs/errors/{code}", error.GetProperty("more_info").GetString());
        Assert.Equal(
            status == 401 ? ["code", "detail", "message", "more_info", "status"] : ["code", "message", "more_info", "status"],
            error.EnumerateObject().Select(p => p.Name));
        return error;
    }

    [GeneratedRegex("^SM[0-9a-f]{32}$")]
    private static partial Regex MessageSid();
}
