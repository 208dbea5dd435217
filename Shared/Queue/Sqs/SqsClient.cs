using System.Net.Http.Headers;
using System.Xml;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// The few SQS actions Notify uses, spoken in SQS's Query protocol: a form-encoded POST of
/// <c>Action=...&amp;Version=2012-11-05&amp;...</c>, signed with SigV4 (AWSSDK.Core's signer), answered in XML.
/// A stand-in for AWSSDK.SQS, which the package source here lacks.
/// </summary>
/// <remarks>
/// Throttling, 5xx answers, connection errors and timeouts are retried with exponential backoff and
/// jitter; each attempt is signed afresh, so a late retry never replays a stale signature. Every other
/// error is thrown at once as an <see cref="SqsException"/>. A send retried after a lost answer may store
/// a message twice, which at-least-once delivery already allows. Nothing here logs message bodies.
/// </remarks>
internal sealed partial class SqsClient
{
    public const int MaxBatchEntries = 10;
    private const string SigningService = "sqs";

    private static readonly MediaTypeHeaderValue FormContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
    private static readonly ResiliencePropertyKey<string> ActionKey = new("Notify.SqsAction");

    private readonly HttpClient _http;
    private readonly SqsClientOptions _options;
    private readonly RegionEndpoint _region;
    private readonly ILogger<SqsClient> _logger;
    private readonly ResiliencePipeline _retry;

    public SqsClient(HttpClient http, SqsClientOptions options, TimeProvider timeProvider, ILogger<SqsClient> logger)
    {
        _http = http;
        _options = options;
        _region = RegionEndpoint.GetBySystemName(options.Region);
        _logger = logger;
        var retry = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            retry.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = static args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context.CancellationToken)),
                OnRetry = OnRetry,
            });
        }

        _retry = retry.Build();
    }

    public SqsClientOptions Options => _options;

    /// <summary>
    /// Creates the queue, or returns the URL of the one that exists with the same attributes (SQS makes
    /// <c>CreateQueue</c> idempotent for equal attributes and answers <c>QueueAlreadyExists</c> for others).
    /// </summary>
    public async Task<string> CreateQueueAsync(
        string queueName,
        IReadOnlyDictionary<string, string> attributes,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        var request = new SqsRequest("CreateQueue").Add("QueueName", queueName);
        var index = 1;
        foreach (var (name, value) in attributes)
        {
            request.Add(SqsRequest.Indexed("Attribute", index) + ".Name", name)
                .Add(SqsRequest.Indexed("Attribute", index) + ".Value", value);
            index++;
        }

        var answer = await SendAsync(request, queueName, cancellationToken);
        return RequiredValue(answer, "QueueUrl", request.Action);
    }

    /// <exception cref="SqsQueueDoesNotExistException">No queue has that name.</exception>
    public async Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        var request = new SqsRequest("GetQueueUrl").Add("QueueName", queueName);
        var answer = await SendAsync(request, queueName, cancellationToken);
        return RequiredValue(answer, "QueueUrl", request.Action);
    }

    /// <summary>Sends up to <see cref="MaxBatchEntries"/> messages in one request.</summary>
    /// <returns>
    /// The entries SQS refused; the rest are stored. An entry the answer lists neither as stored nor as
    /// refused is reported as failed on the server's side (so it is sent again): a 202 needs SQS's word
    /// that the message is stored.
    /// </returns>
    public async Task<IReadOnlyList<SqsBatchEntryFailure>> SendMessageBatchAsync(
        string queueUrl,
        IReadOnlyList<SqsSendEntry> entries,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        CheckBatchSize(entries.Count, nameof(entries));
        var request = new SqsRequest("SendMessageBatch").Add("QueueUrl", queueUrl);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = SqsRequest.Indexed("SendMessageBatchRequestEntry", i + 1);
            request.Add(entry + ".Id", entries[i].Id).Add(entry + ".MessageBody", entries[i].Body);
            var index = 1;
            foreach (var (name, value) in entries[i].StringAttributes ?? new Dictionary<string, string>())
            {
                var attribute = SqsRequest.Indexed(entry + ".MessageAttribute", index++);
                request.Add(attribute + ".Name", name)
                    .Add(attribute + ".Value.DataType", "String")
                    .Add(attribute + ".Value.StringValue", value);
            }
        }

        var answer = await SendAsync(request, queueUrl, cancellationToken);
        var failures = ReadFailures(answer);
        var stored = answer.DescendantsNamed("SendMessageBatchResultEntry")
            .Select(entry => entry.ChildValue("Id"))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!stored.Contains(entry.Id) && !failures.Exists(f => f.Id == entry.Id))
            {
                failures.Add(new SqsBatchEntryFailure(entry.Id, "NotConfirmed", "The answer did not confirm this entry as stored.", SenderFault: false));
            }
        }

        return failures;
    }

    public async Task<IReadOnlyList<SqsReceivedMessage>> ReceiveMessageAsync(
        string queueUrl,
        SqsReceiveRequest receive,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        CheckBatchSize(receive.MaxNumberOfMessages, nameof(receive));
        var request = new SqsRequest("ReceiveMessage")
            .Add("QueueUrl", queueUrl)
            .Add("MaxNumberOfMessages", receive.MaxNumberOfMessages);
        if (receive.VisibilityTimeoutSeconds is { } visibility)
        {
            request.Add("VisibilityTimeout", visibility);
        }

        if (receive.WaitTimeSeconds is { } wait)
        {
            request.Add("WaitTimeSeconds", wait);
        }

        // AttributeName.N is the older spelling of MessageSystemAttributeName.N; SQS and the local
        // servers all accept it.
        request.AddList("AttributeName", receive.AttributeNames ?? [])
            .AddList("MessageAttributeName", receive.MessageAttributeNames ?? []);

        var answer = await SendAsync(request, queueUrl, cancellationToken);
        var result = answer.DescendantsNamed("ReceiveMessageResult").FirstOrDefault() ?? answer;
        return result.Children("Message").Select(message => ReadMessage(message, request.Action)).ToList();
    }

    /// <summary>Deletes the message the handle names. SQS answers success for one already deleted.</summary>
    public async Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        ArgumentException.ThrowIfNullOrEmpty(receiptHandle);
        var request = new SqsRequest("DeleteMessage").Add("QueueUrl", queueUrl).Add("ReceiptHandle", receiptHandle);
        await SendAsync(request, queueUrl, cancellationToken);
    }

    /// <param name="entries">Up to <see cref="MaxBatchEntries"/> pairs of an entry id (as in <see cref="SqsSendEntry.Id"/>) and a receipt handle.</param>
    /// <returns>The entries SQS refused; the rest are deleted.</returns>
    public async Task<IReadOnlyList<SqsBatchEntryFailure>> DeleteMessageBatchAsync(
        string queueUrl,
        IReadOnlyList<(string Id, string ReceiptHandle)> entries,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        CheckBatchSize(entries.Count, nameof(entries));
        var request = new SqsRequest("DeleteMessageBatch").Add("QueueUrl", queueUrl);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = SqsRequest.Indexed("DeleteMessageBatchRequestEntry", i + 1);
            request.Add(entry + ".Id", entries[i].Id).Add(entry + ".ReceiptHandle", entries[i].ReceiptHandle);
        }

        return ReadFailures(await SendAsync(request, queueUrl, cancellationToken));
    }

    /// <exception cref="SqsException">
    /// Among others, when the handle is stale; <see cref="SqsErrorCodes.IsStaleReceiptHandle"/> tells those apart.
    /// </exception>
    public async Task ChangeMessageVisibilityAsync(
        string queueUrl,
        string receiptHandle,
        int visibilityTimeoutSeconds,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        ArgumentException.ThrowIfNullOrEmpty(receiptHandle);
        var request = new SqsRequest("ChangeMessageVisibility")
            .Add("QueueUrl", queueUrl)
            .Add("ReceiptHandle", receiptHandle)
            .Add("VisibilityTimeout", visibilityTimeoutSeconds);
        await SendAsync(request, queueUrl, cancellationToken);
    }

    /// <returns>The attributes SQS returned, by name; one it does not know is simply absent.</returns>
    public async Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(
        string queueUrl,
        IReadOnlyList<string> attributeNames,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        var request = new SqsRequest("GetQueueAttributes").Add("QueueUrl", queueUrl).AddList("AttributeName", attributeNames);
        var answer = await SendAsync(request, queueUrl, cancellationToken);
        var result = answer.DescendantsNamed("GetQueueAttributesResult").FirstOrDefault() ?? answer;
        return result.NameValues("Attribute");
    }

    private static void CheckBatchSize(int count, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, paramName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxBatchEntries, paramName);
    }

    /// <param name="queue">The queue's name or URL, named by the exception when the queue does not exist.</param>
    private async Task<XElement> SendAsync(SqsRequest request, string queue, CancellationToken cancellationToken)
    {
        var body = request.ToFormBody();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(ActionKey, request.Action);
            return await _retry.ExecuteAsync(
                static (context, state) => state.Client.AttemptAsync(state.Action, state.Body, state.Queue, context.CancellationToken),
                context,
                (Client: this, request.Action, Body: body, Queue: queue));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<XElement> AttemptAsync(string action, byte[] body, string queue, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _options.ServiceUrl) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = FormContentType;
        await SignAsync(message, body, cancellationToken);

        using var response = await _http.SendAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return SqsXml.Parse(text);
            }
            catch (XmlException exception)
            {
                throw new SqsException(action, response.StatusCode, new SqsError("MalformedResponse", "The answer is not XML.", false, null), exception);
            }
        }

        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        var error = SqsXml.ReadError((int)response.StatusCode, text, requestId);
        if (SqsErrorCodes.IsQueueMissing(error.Code))
        {
            throw new SqsQueueDoesNotExistException(action, response.StatusCode, error, queue);
        }

        throw new SqsException(action, response.StatusCode, error);
    }

    private async Task SignAsync(HttpRequestMessage message, byte[] body, CancellationToken cancellationToken)
    {
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = _options.ServiceUrl, Content = body };
        var parameters = new AWSSigV4Parameters
        {
            Credentials = _options.Credentials ?? await DefaultCredentialsAsync(),
            Region = _region,
            Service = SigningService,
        };
        var signed = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken);
        foreach (var (name, value) in signed.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>
    /// AWS's default chain: environment, profile, container or instance role. Asked on every request; the
    /// resolver caches and refreshes what it found, so rotated role credentials are picked up.
    /// </summary>
    private static async Task<AWSCredentials> DefaultCredentialsAsync()
    {
        try
        {
            return await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null);
        }
        catch (AmazonClientException exception)
        {
            throw new InvalidOperationException(
                "No AWS credentials for SQS: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile (AWS_PROFILE), or run with a role.",
                exception);
        }
    }

    private static bool ShouldRetry(Exception? exception, CancellationToken callerToken) => exception switch
    {
        SqsException sqs => sqs.IsTransient,
        HttpRequestException or IOException => true,

        // HttpClient.Timeout ends an attempt with a cancellation the caller did not ask for.
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    private ValueTask OnRetry(OnRetryArguments<object> args)
    {
        var action = args.Context.Properties.GetValue(ActionKey, "?");
        var reason = args.Outcome.Exception switch
        {
            SqsException sqs => $"{(int)sqs.StatusCode} {sqs.Code}",
            { } other => other.GetType().Name,
            null => "no answer",
        };
        Log.Retrying(_logger, action, reason, args.AttemptNumber + 1, args.RetryDelay);
        return default;
    }

    private static string RequiredValue(XElement answer, string localName, string action) =>
        answer.DescendantsNamed(localName).FirstOrDefault()?.Value
        ?? throw new SqsException(action, System.Net.HttpStatusCode.OK, new SqsError("MalformedResponse", $"The answer has no {localName}.", false, null));

    private static SqsReceivedMessage ReadMessage(XElement message, string action)
    {
        var stringAttributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in message.Children("MessageAttribute"))
        {
            if (attribute.ChildValue("Name") is { } name
                && attribute.Children("Value").FirstOrDefault()?.ChildValue("StringValue") is { } value)
            {
                stringAttributes[name] = value;
            }
        }

        return new SqsReceivedMessage(
            MessageId: message.ChildValue("MessageId") ?? "",
            ReceiptHandle: message.ChildValue("ReceiptHandle")
                ?? throw new SqsException(action, System.Net.HttpStatusCode.OK, new SqsError("MalformedResponse", "A message has no ReceiptHandle.", false, null)),
            Body: message.ChildValue("Body") ?? "",
            Attributes: message.NameValues("Attribute"),
            StringAttributes: stringAttributes);
    }

    private static List<SqsBatchEntryFailure> ReadFailures(XElement answer) =>
        answer.DescendantsNamed("BatchResultErrorEntry")
            .Select(failure => new SqsBatchEntryFailure(
                Id: failure.ChildValue("Id") ?? "",
                Code: failure.ChildValue("Code") ?? "",
                Message: failure.ChildValue("Message") ?? "",
                SenderFault: string.Equals(failure.ChildValue("SenderFault"), "true", StringComparison.OrdinalIgnoreCase)))
            .ToList();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "SQS {Action} failed ({Reason}); retry {Retry} in {Delay}", EventName = "SqsRetrying")]
        public static partial void Retrying(ILogger logger, string action, string reason, int retry, TimeSpan delay);
    }
}
