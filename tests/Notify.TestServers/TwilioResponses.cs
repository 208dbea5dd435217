using System.Globalization;

namespace Notify.TestServers;

/// <summary>What <see cref="TwilioServer"/> answers one request with: a status, a JSON body, maybe headers.</summary>
internal sealed record TwilioAnswer(int Status, Dictionary<string, object?> Body)
{
    /// <summary>The SID of the message created, for a 201.</summary>
    public string? MessageSid { get; init; }

    /// <summary>Seconds for a <c>Retry-After</c> header.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Whether to send <c>WWW-Authenticate</c>, as Twilio does with a 401.</summary>
    public bool Challenge { get; init; }
}

/// <summary>The JSON bodies of Twilio's 2010-04-01 API, in the shapes and field order Twilio sends.</summary>
internal static class TwilioResponses
{
    public const string ApiVersion = "2010-04-01";

    /// <summary>Twilio's error body: <c>{"code", "message", "more_info", "status"}</c>.</summary>
    public static TwilioAnswer Error(int status, int code, string message, string? detail = null)
    {
        var body = new Dictionary<string, object?> { ["code"] = code };
        if (detail is not null)
        {
            body["detail"] = detail;
        }

        body["message"] = message;
        body["more_info"] = $"https://www.twilio.com/docs/errors/{code}";
        body["status"] = status;
        return new TwilioAnswer(status, body);
    }

    /// <summary>
    /// The Message resource of a message just created. Through a Messaging Service alone, Twilio has not
    /// picked a sender yet: <c>from</c> is null, <c>num_segments</c> "0" and the status "accepted".
    /// </summary>
    public static TwilioAnswer MessageCreated(string accountSid, string to, string? from, string? messagingServiceSid, string body, DateTimeOffset now)
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var uri = $"/{ApiVersion}/Accounts/{accountSid}/Messages/{sid}.json";
        var date = Rfc2822(now);
        var viaServiceOnly = from is null;
        return new TwilioAnswer(201, new Dictionary<string, object?>
        {
            ["body"] = body,
            ["num_segments"] = viaServiceOnly ? "0" : SmsSegments.Count(body).ToString(CultureInfo.InvariantCulture),
            ["direction"] = "outbound-api",
            ["from"] = from,
            ["date_updated"] = date,
            ["price"] = null,
            ["error_message"] = null,
            ["uri"] = uri,
            ["account_sid"] = accountSid,
            ["num_media"] = "0",
            ["to"] = to,
            ["date_created"] = date,
            ["status"] = viaServiceOnly ? "accepted" : "queued",
            ["sid"] = sid,
            ["date_sent"] = null,
            ["messaging_service_sid"] = messagingServiceSid,
            ["error_code"] = null,
            ["price_unit"] = "USD",
            ["api_version"] = ApiVersion,
            ["subresource_uris"] = new Dictionary<string, string> { ["media"] = $"/{ApiVersion}/Accounts/{accountSid}/Messages/{sid}/Media.json" },
        })
        { MessageSid = sid };
    }

    /// <summary>Twilio's dates: RFC 2822 in GMT, e.g. <c>Thu, 24 Aug 2023 05:01:45 +0000</c>.</summary>
    public static string Rfc2822(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
