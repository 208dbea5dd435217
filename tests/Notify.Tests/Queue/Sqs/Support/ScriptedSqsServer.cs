using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS.Internal;
using Amazon.SQS.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Notify.Tests.Queue.Sqs.Support;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) that answers SQS's JSON protocol, as the AWS
/// SDK speaks it (<c>X-Amz-Target: AmazonSQS.{Action}</c>), from a script of replies, then with a plain
/// success for the action; it records every request, so tests see what went over the wire. For what
/// moto cannot be made to answer: throttling, 5xx, batch entries failed by SQS, SQS's receipt-handle errors.
/// </summary>
internal sealed class ScriptedSqsServer : IAsyncDisposable
{
    private const string TargetPrefix = "AmazonSQS.";

    private readonly WebApplication _app;
    private readonly List<Reply> _script;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private ScriptedSqsServer(WebApplication app, IEnumerable<Reply> script)
    {
        _app = app;
        _script = [.. script];
        _app.Run(HandleAsync);
    }

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    public string QueueUrl(string name = "notify-messages") => new Uri(ServiceUrl, "000000000000/" + name).AbsoluteUri;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<ScriptedSqsServer> StartAsync(params Reply[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new ScriptedSqsServer(builder.Build(), script);
        await server._app.StartAsync();
        server.ServiceUrl = new Uri(server._app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var request = new RecordedRequest(target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target, body);
        _requests.Enqueue(request);

        var reply = TakeScripted(request.Action) ?? Success(request);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (reply.QueryError is { } queryError)
        {
            context.Response.Headers["x-amzn-query-error"] = queryError;
        }

        await context.Response.WriteAsync(reply.Answer(request), context.RequestAborted);
    }

    /// <summary>The first scripted reply for this action (or for any), taken off the script.</summary>
    private Reply? TakeScripted(string action)
    {
        lock (_script)
        {
            var index = _script.FindIndex(r => r.ForAction is null || r.ForAction == action);
            if (index < 0)
            {
                return null;
            }

            var reply = _script[index];
            _script.RemoveAt(index);
            return reply;
        }
    }

    private Reply Success(RecordedRequest request) => request.Action switch
    {
        "CreateQueue" or "GetQueueUrl" => Reply.Ok(new JsonObject { ["QueueUrl"] = QueueUrl(request.Json["QueueName"]!.GetValue<string>()) }),
        "SendMessageBatch" => Reply.SendBatchWithFailures(request.BatchEntries.Count, "unused", senderFault: false),
        "GetQueueAttributes" => Reply.Ok(new JsonObject
        {
            ["Attributes"] = new JsonObject
            {
                ["ApproximateNumberOfMessages"] = "0",
                ["ApproximateNumberOfMessagesNotVisible"] = "0",
                ["ApproximateNumberOfMessagesDelayed"] = "0",
            },
        }),
        _ => Reply.Ok([]),
    };

    /// <summary>One answer: a status and a JSON body, made from the request it answers.</summary>
    /// <param name="ForAction">Only for requests of this action; null for the next request of any.</param>
    /// <param name="QueryError">SQS's <c>x-amzn-query-error</c> header: the Query protocol's code for the error, and its fault.</param>
    public sealed record Reply(int Status, Func<RecordedRequest, string> Answer, string? ForAction = null, string? QueryError = null)
    {
        public Reply For(string action) => this with { ForAction = action };

        public static Reply Ok(JsonObject result) => new(200, _ => result.ToJsonString());

        /// <summary>SQS's error answer: <c>{"__type": "com.amazonaws.sqs#{type}", "message": ...}</c>.</summary>
        /// <param name="queryCode">The Query protocol's code, where it differs from <paramref name="type"/>.</param>
        public static Reply Error(int status, string type, string message = "scripted", string? queryCode = null, bool senderFault = true) => new(
            status,
            _ => new JsonObject { ["__type"] = "com.amazonaws.sqs#" + type, ["message"] = message }.ToJsonString(),
            QueryError: $"{queryCode ?? type};{(senderFault ? "Sender" : "Receiver")}");

        /// <summary>A SendMessageBatch answer that refuses the entries at the positions <paramref name="failed"/> and stores the rest.</summary>
        public static Reply SendBatchWithFailures(int entryCount, string code, bool senderFault, params int[] failed) => new Reply(200, request =>
        {
            var entries = request.BatchEntries;
            var successful = new JsonArray();
            var failures = new JsonArray();
            for (var i = 0; i < Math.Min(entryCount, entries.Count); i++)
            {
                var entry = entries[i]!.AsObject();
                var id = entry["Id"]!.GetValue<string>();
                if (failed.Contains(i))
                {
                    failures.Add(new JsonObject { ["Id"] = id, ["SenderFault"] = senderFault, ["Code"] = code, ["Message"] = "scripted" });
                }
                else
                {
                    successful.Add(new JsonObject
                    {
                        ["Id"] = id,
                        ["MessageId"] = Guid.NewGuid().ToString(),
                        ["MD5OfMessageBody"] = Md5(entry["MessageBody"]!.GetValue<string>()),
                        ["MD5OfMessageAttributes"] = AttributesMd5(entry["MessageAttributes"]),
                    });
                }
            }

            return new JsonObject { ["Successful"] = successful, ["Failed"] = failures }.ToJsonString();
        }).For("SendMessageBatch");

        /// <summary>A ReceiveMessage answer with one message carrying Notify's id attribute.</summary>
        public static Reply OneMessage(string sqsId, string handle, string body, string notifyId, int receiveCount, long sentTimestampMs)
        {
            var attributes = new JsonObject { ["NotifyMessageId"] = new JsonObject { ["DataType"] = "String", ["StringValue"] = notifyId } };
            return Ok(new JsonObject
            {
                ["Messages"] = new JsonArray(new JsonObject
                {
                    ["MessageId"] = sqsId,
                    ["ReceiptHandle"] = handle,
                    ["Body"] = body,
                    ["MD5OfBody"] = Md5(body),
                    ["Attributes"] = new JsonObject
                    {
                        ["ApproximateReceiveCount"] = receiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["SentTimestamp"] = sentTimestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                    ["MessageAttributes"] = attributes,
                    ["MD5OfMessageAttributes"] = AttributesMd5(attributes),
                }),
            }).For("ReceiveMessage");
        }

        private static string Md5(string text) => ValidationResponseHandler.CalculateMD5(text);

        // The SDK checks the digest SQS computes over the attributes; its own routine computes it here.
        private static string? AttributesMd5(JsonNode? attributes) => attributes is null
            ? null
            : ValidationResponseHandler.CalculateMD5(JsonSerializer.Deserialize<Dictionary<string, JsonObject>>(attributes.ToJsonString())!
                .ToDictionary(a => a.Key, a => new MessageAttributeValue
                {
                    DataType = a.Value["DataType"]!.GetValue<string>(),
                    StringValue = a.Value["StringValue"]?.GetValue<string>(),
                }));
    }

    /// <param name="Action">The SQS action, from <c>X-Amz-Target</c>, e.g. <c>SendMessageBatch</c>.</param>
    public sealed record RecordedRequest(string Action, JsonObject Json)
    {
        /// <summary>A SendMessageBatch's entries, in order.</summary>
        public JsonArray BatchEntries => Json["Entries"]?.AsArray() ?? [];

        /// <summary>The Notify ids the entries carry in their message attribute.</summary>
        public IReadOnlyList<string> NotifyIds => BatchEntries
            .Select(e => e!["MessageAttributes"]!["NotifyMessageId"]!["StringValue"]!.GetValue<string>())
            .ToList();

        public string Text(string field) => Json[field]!.ToString();
    }
}
