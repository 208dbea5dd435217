using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Notify.Tests.Queue.Sqs.Support;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) that answers SQS Query-protocol requests from
/// a script of replies, then with a plain success for the action; it records every request, headers
/// and form fields, so tests see what went over the wire. For what the local SQS server cannot be made to answer:
/// throttling, 5xx, batch entries failed by SQS, SQS's receipt-handle errors.
/// </summary>
internal sealed class ScriptedSqsServer : IAsyncDisposable
{
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
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        using var formReader = new FormReader(Encoding.UTF8.GetString(body));
        var form = await formReader.ReadFormAsync(context.RequestAborted);
        var request = new RecordedRequest(
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal),
            body);
        _requests.Enqueue(request);

        var reply = TakeScripted(request.Action) ?? Success(request);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
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

    private Reply Success(RecordedRequest request)
    {
        var action = request.Action;
        var result = action switch
        {
            "CreateQueue" or "GetQueueUrl" => $"<QueueUrl>{QueueUrl(request.Form["QueueName"])}</QueueUrl>",
            "SendMessageBatch" => string.Concat(request.EntryIds("SendMessageBatchRequestEntry").Select(id =>
                $"<SendMessageBatchResultEntry><Id>{id}</Id><MessageId>{Guid.NewGuid()}</MessageId></SendMessageBatchResultEntry>")),
            "GetQueueAttributes" =>
                "<Attribute><Name>ApproximateNumberOfMessages</Name><Value>0</Value></Attribute>"
                + "<Attribute><Name>ApproximateNumberOfMessagesNotVisible</Name><Value>0</Value></Attribute>",
            _ => "",
        };
        return Reply.Ok(action, result);
    }

    /// <summary>One answer: a status and an XML body.</summary>
    /// <param name="ForAction">Only for requests of this action; null for the next request of any.</param>
    public sealed record Reply(int Status, string Body, string? ForAction = null)
    {
        public Reply For(string action) => this with { ForAction = action };

        public static Reply Ok(string action, string resultXml) => new(200,
            $"<{action}Response xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><{action}Result>{resultXml}</{action}Result>"
            + $"<ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></{action}Response>");

        /// <summary>SQS's error answer, <c>&lt;ErrorResponse&gt;&lt;Error&gt;...</c>.</summary>
        public static Reply Error(int status, string code, string message = "scripted", string type = "Sender") => new(status,
            "<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error>"
            + $"<Type>{type}</Type><Code>{SecurityElement.Escape(code)}</Code><Message>{SecurityElement.Escape(message)}</Message><Detail/>"
            + $"</Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>");

        /// <summary>A SendMessageBatch answer that refuses the entries <paramref name="failed"/> and stores the rest of <paramref name="entryCount"/>.</summary>
        public static Reply SendBatchWithFailures(int entryCount, string code, bool senderFault, params int[] failed)
        {
            var results = Enumerable.Range(0, entryCount).Select(i => failed.Contains(i)
                ? $"<BatchResultErrorEntry><Id>{i}</Id><SenderFault>{(senderFault ? "true" : "false")}</SenderFault><Code>{code}</Code><Message>scripted</Message></BatchResultErrorEntry>"
                : $"<SendMessageBatchResultEntry><Id>{i}</Id><MessageId>{Guid.NewGuid()}</MessageId></SendMessageBatchResultEntry>");
            return Ok("SendMessageBatch", string.Concat(results)).For("SendMessageBatch");
        }
    }

    public sealed record RecordedRequest(IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Form, byte[] Body)
    {
        public string Action => Form["Action"];

        /// <summary>The ids of <c>{prefix}.1.Id</c>, <c>{prefix}.2.Id</c>, ... in order.</summary>
        public IReadOnlyList<string> EntryIds(string prefix) =>
            Enumerable.Range(1, 10)
                .Select(i => Form.GetValueOrDefault($"{prefix}.{i.ToString(CultureInfo.InvariantCulture)}.Id"))
                .TakeWhile(id => id is not null)
                .Select(id => id!)
                .ToList();
    }
}
