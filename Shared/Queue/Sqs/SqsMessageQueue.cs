using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Notify.Shared.Dependencies;
using Notify.Shared.Resilience;
using Polly;
using Polly.Retry;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// The queue between Frontend and Sender on Amazon SQS (Aws mode), through the AWS SDK's client: one
/// standard queue, whose URL is found (or the queue created) on first use and then kept.
/// </summary>
/// <remarks>
/// Notify's message id travels as the message attribute <see cref="IdAttribute"/>, because SQS picks its
/// own MessageId. SQS counts message attributes toward its 1 MiB limit, so a body may be 1 MiB less the
/// size of that attribute (about 50 bytes); SQS also refuses an empty body. Receive counts and send times
/// are SQS's own (<c>ApproximateReceiveCount</c>, <c>SentTimestamp</c>); visibility, wait and delay times
/// are sent in whole seconds, rounded up, so a message is never handed out sooner than asked and a wait
/// is never cut short. A message without a delay is sent without <c>DelaySeconds</c>, so it takes the
/// queue's own delivery delay (none on the queue Notify creates). The SDK retries calls (see <see cref="SqsClientFactory"/>); what still fails
/// for want of SQS is thrown as <see cref="DependencyUnavailableException"/>.
/// </remarks>
internal sealed partial class SqsMessageQueue : IMessageQueue
{
    /// <summary>The message attribute (data type String) that carries Notify's message id.</summary>
    public const string IdAttribute = "NotifyMessageId";

    /// <summary>SQS's limit on the entries of one batch request.</summary>
    public const int MaxBatchEntries = 10;

    private const string SendAction = "SendMessageBatch";

    // SQS's limit on a batch's total payload; chunks stay within it as well as within ten entries.
    private const int MaxBatchBytes = QueueLimits.MaxBodyBytes;

    private static readonly int IdAttributeOverhead = Encoding.UTF8.GetByteCount(IdAttribute + "String");
    private static readonly List<string> ReceiveAttributes = [SqsQueueAttributeNames.ApproximateReceiveCount, SqsQueueAttributeNames.SentTimestamp];
    private static readonly List<string> ReceiveMessageAttributes = [IdAttribute];
    private static readonly List<string> DepthAttributes =
    [
        SqsQueueAttributeNames.ApproximateNumberOfMessages,
        SqsQueueAttributeNames.ApproximateNumberOfMessagesNotVisible,
        SqsQueueAttributeNames.ApproximateNumberOfMessagesDelayed,
    ];

    private readonly IAmazonSQS _sqs;
    private readonly SqsQueueSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<SqsMessageQueue> _logger;
    private readonly ResiliencePipeline<bool> _entryRetry;
    private readonly Lock _resolveLock = new();

    private string? _queueUrl;
    private Task<string>? _resolving;

    public SqsMessageQueue(IAmazonSQS sqs, SqsQueueSettings settings, TimeProvider timeProvider, ILogger<SqsMessageQueue> logger)
    {
        _sqs = sqs;
        _settings = settings;
        _time = timeProvider;
        _logger = logger;

        // Entries SQS failed on its side (SenderFault=false) are sent again; the request as a whole
        // succeeded, so the SDK's retries never see them.
        _entryRetry = RetryPipeline.Build(
            new RetryPipelineOptions<bool>
            {
                Name = "Notify.Sqs.FailedEntries",
                MaxAttempts = settings.EntryRetries + 1,
                BaseDelay = settings.EntryRetryBaseDelay,
                MaxDelay = settings.EntryRetryMaxDelay,
                ShouldRetry = static outcome => outcome.Exception is SqsBatchEntryException entries && entries.Failures.All(f => !f.SenderFault),
                OnRetry = args =>
                {
                    var failures = ((SqsBatchEntryException)args.Outcome.Exception!).Failures;
                    Log.RetryingFailedEntries(_logger, failures.Count, failures[0].Code, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            },
            timeProvider);
    }

    public string QueueName => _settings.QueueName;

    /// <summary>
    /// The queue's URL: looked up (or the queue created, when <see cref="SqsQueueSettings.CreateResources"/>)
    /// by the first caller, then kept. Concurrent first callers share one lookup; a failed lookup is
    /// not kept, so the next call tries again.
    /// </summary>
    /// <exception cref="SqsQueueDoesNotExistException">The queue is missing and Notify may not create it.</exception>
    public ValueTask<string> GetQueueUrlAsync(CancellationToken cancellationToken)
    {
        var url = Volatile.Read(ref _queueUrl);
        return url is not null ? new(url) : new(ResolveQueueUrlAsync(cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>
    /// More than ten messages, or more than 1 MiB, go as several <c>SendMessageBatch</c> requests at once.
    /// When one of them fails the others may have stored their messages; so may a cancelled call.
    /// </remarks>
    /// <exception cref="SqsBatchEntryException">SQS refused messages as invalid.</exception>
    /// <exception cref="DependencyUnavailableException">SQS could not be reached, or kept failing messages on its side.</exception>
    public async Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        var chunks = Chunk(messages);
        var url = await GetQueueUrlAsync(cancellationToken);
        try
        {
            await Task.WhenAll(chunks.Select(chunk => SendChunkAsync(url, chunk, cancellationToken)));
        }
        catch (SqsBatchEntryException exception) when (exception.Failures.All(f => !f.SenderFault))
        {
            throw new DependencyUnavailableException(DependencyNames.Sqs, exception.Message, exception);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(
        int maxMessages,
        TimeSpan visibilityTimeout,
        TimeSpan waitTime,
        CancellationToken cancellationToken)
    {
        QueueLimits.CheckReceive(maxMessages, visibilityTimeout, waitTime);

        var url = await GetQueueUrlAsync(cancellationToken);
        var request = new ReceiveMessageRequest
        {
            QueueUrl = url,
            MaxNumberOfMessages = maxMessages,
            VisibilityTimeout = WholeSeconds(visibilityTimeout),
            WaitTimeSeconds = WholeSeconds(waitTime),
            MessageSystemAttributeNames = ReceiveAttributes,
            MessageAttributeNames = ReceiveMessageAttributes,
        };
        var response = await CallAsync("ReceiveMessage", url, token => _sqs.ReceiveMessageAsync(request, token), cancellationToken);
        return (response.Messages ?? []).Select(ToReceivedMessage).ToList();
    }

    /// <inheritdoc />
    /// <remarks>A handle SQS calls invalid or stale is taken to name a message already gone.</remarks>
    public async Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(receiptHandle);
        var url = await GetQueueUrlAsync(cancellationToken);
        await CallAsync(
            "DeleteMessage",
            url,
            async token =>
            {
                try
                {
                    await _sqs.DeleteMessageAsync(url, receiptHandle, token);
                }
                catch (AmazonSQSException exception) when (IsStaleReceiptHandle(exception))
                {
                    Log.DeletedStaleHandle(_logger, exception.ErrorCode);
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(receiptHandle);
        QueueLimits.CheckVisibilityTimeout(visibilityTimeout);
        var url = await GetQueueUrlAsync(cancellationToken);
        return await CallAsync(
            "ChangeMessageVisibility",
            url,
            async token =>
            {
                try
                {
                    await _sqs.ChangeMessageVisibilityAsync(url, receiptHandle, WholeSeconds(visibilityTimeout), token);
                    return true;
                }
                catch (AmazonSQSException exception) when (IsStaleReceiptHandle(exception))
                {
                    return false;
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken)
    {
        var url = await GetQueueUrlAsync(cancellationToken);
        var attributes = await GetAttributesAsync(url, DepthAttributes, cancellationToken);
        return new QueueDepth(
            Waiting: Count(attributes, SqsQueueAttributeNames.ApproximateNumberOfMessages),
            InFlight: Count(attributes, SqsQueueAttributeNames.ApproximateNumberOfMessagesNotVisible),
            Delayed: Count(attributes, SqsQueueAttributeNames.ApproximateNumberOfMessagesDelayed));

        static long Count(Dictionary<string, string> attributes, string name) =>
            attributes.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>
    /// The receipt handle no longer names a message in flight: deleted, received again by someone else,
    /// or expired. SQS says so in several ways: <c>ReceiptHandleIsInvalid</c>, <c>MessageNotInflight</c>,
    /// or (standard queues) <c>InvalidParameterValue</c> with "Value ... for parameter ReceiptHandle is
    /// invalid. Reason: Message does not exist or is not available for visibility timeout change."
    /// </summary>
    private static bool IsStaleReceiptHandle(AmazonSQSException exception) =>
        exception is ReceiptHandleIsInvalidException or MessageNotInflightException
        || exception.ErrorCode is "ReceiptHandleIsInvalid" or "AWS.SimpleQueueService.MessageNotInflight"
        || (exception.ErrorCode is "InvalidParameterValue" && exception.Message.Contains("ReceiptHandle", StringComparison.Ordinal));

    private static bool IsQueueAttributeConflict(AmazonSQSException exception) =>
        exception is QueueNameExistsException || exception.ErrorCode is "QueueAlreadyExists" or "QueueNameExists";

    private static bool IsAttributeRefused(AmazonSQSException exception) =>
        exception is InvalidAttributeValueException || exception.ErrorCode is "InvalidAttributeValue";

    private static bool IsQueueMissing(AmazonServiceException exception) =>
        exception is QueueDoesNotExistException || exception.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist";

    private async Task<Dictionary<string, string>> GetAttributesAsync(string url, List<string> names, CancellationToken cancellationToken)
    {
        var request = new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = names };
        var response = await CallAsync("GetQueueAttributes", url, token => _sqs.GetQueueAttributesAsync(request, token), cancellationToken);
        return response.Attributes ?? [];
    }

    /// <summary>
    /// One SDK call, its failures in Notify's terms: a missing queue names the queue and the setting; an
    /// outage (after the SDK's retries) becomes <see cref="DependencyUnavailableException"/>; the rest
    /// (a request SQS calls malformed, or what <paramref name="passOn"/> picks for the caller) passes as it is.
    /// </summary>
    private async Task<T> CallAsync<T>(
        string action,
        string queue,
        Func<CancellationToken, Task<T>> call,
        CancellationToken cancellationToken,
        Func<AmazonSQSException, bool>? passOn = null)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (AmazonServiceException exception) when (IsQueueMissing(exception))
        {
            throw new SqsQueueDoesNotExistException(action, queue, MissingQueueAdvice(), exception);
        }
        catch (Exception exception) when (exception is not DependencyUnavailableException
                                          && !(exception is AmazonSQSException sqs && passOn?.Invoke(sqs) == true)
                                          && AwsOutage.IsOutage(exception, cancellationToken))
        {
            throw new DependencyUnavailableException(DependencyNames.Sqs, $"SQS {action} failed: {exception.Message}", exception);
        }
    }

    private async Task<string> ResolveQueueUrlAsync(CancellationToken cancellationToken)
    {
        Task<string> resolving;
        lock (_resolveLock)
        {
            // Not tied to the first caller's token: callers that arrive meanwhile wait on the same lookup.
            if (_resolving is null || _resolving.IsFaulted || _resolving.IsCanceled)
            {
                _resolving = Task.Run(() => FindOrCreateQueueAsync(CancellationToken.None), CancellationToken.None);
            }

            resolving = _resolving;
        }

        var url = await resolving.WaitAsync(cancellationToken);
        Volatile.Write(ref _queueUrl, url);
        return url;
    }

    private async Task<string> FindOrCreateQueueAsync(CancellationToken cancellationToken)
    {
        var name = _settings.QueueName;
        if (!_settings.CreateResources)
        {
            var found = await GetUrlAsync(name, cancellationToken);
            Log.QueueFound(_logger, name, found);
            return found;
        }

        try
        {
            var url = await CreateAsync(name, SqsQueueSettings.QueueAttributes, cancellationToken);
            Log.QueueReady(_logger, name, url);
            return url;
        }
        catch (AmazonSQSException exception) when (IsQueueAttributeConflict(exception))
        {
            // Created by someone else (the infrastructure's owner) with other attributes: theirs stand.
            var url = await GetUrlAsync(name, cancellationToken);
            Log.QueueHasOtherAttributes(_logger, name, exception.Message);
            return url;
        }
        catch (AmazonSQSException exception) when (IsAttributeRefused(exception)
                                                    && exception.Message.Contains(SqsQueueAttributeNames.MaximumMessageSize, StringComparison.Ordinal))
        {
            // An SQS that predates 1 MiB messages (sqslite caps MaximumMessageSize at 256 KiB): the queue
            // gets that server's default size, and larger bodies fail when sent.
            var attributes = SqsQueueSettings.QueueAttributes
                .Where(a => a.Key != SqsQueueAttributeNames.MaximumMessageSize)
                .ToDictionary(a => a.Key, a => a.Value);
            var url = await CreateAsync(name, attributes, cancellationToken);
            var actual = await GetAttributesAsync(url, [SqsQueueAttributeNames.MaximumMessageSize], cancellationToken);
            Log.MaximumMessageSizeRefused(_logger, name, actual.GetValueOrDefault(SqsQueueAttributeNames.MaximumMessageSize, "unknown"));
            return url;
        }
    }

    private async Task<string> GetUrlAsync(string name, CancellationToken cancellationToken)
    {
        var response = await CallAsync("GetQueueUrl", name, token => _sqs.GetQueueUrlAsync(name, token), cancellationToken);
        return response.QueueUrl;
    }

    // A conflict of attributes, or one the endpoint refuses, is left for the caller to take.
    private async Task<string> CreateAsync(string name, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        var request = new CreateQueueRequest { QueueName = name, Attributes = attributes.ToDictionary() };
        var response = await CallAsync(
            "CreateQueue",
            name,
            token => _sqs.CreateQueueAsync(request, token),
            cancellationToken,
            passOn: e => IsQueueAttributeConflict(e) || IsAttributeRefused(e));
        return response.QueueUrl;
    }

    private string MissingQueueAdvice() => _settings.CreateResources
        ? "Notify:Aws:CreateResources is on, and the queue was there when Notify started: it has been deleted since. Restart Notify to create it again."
        : "Notify:Aws:CreateResources is off, so Notify does not create it: create it with MaximumMessageSize=1048576 (as the README's 'Running in Aws mode' says), or set Notify:Aws:CreateResources to true.";

    private async Task SendChunkAsync(string url, List<(SendMessageBatchRequestEntry Entry, string MessageId)> chunk, CancellationToken cancellationToken)
    {
        var pending = chunk;
        await _entryRetry.ExecuteAsync(
            async token =>
            {
                var request = new SendMessageBatchRequest { QueueUrl = url, Entries = pending.ConvertAll(p => p.Entry) };
                var response = await CallAsync(SendAction, url, t => _sqs.SendMessageBatchAsync(request, t), token);
                var failures = Failures(request.Entries, response);
                if (failures.Count == 0)
                {
                    return true;
                }

                var failedIds = failures.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
                var messageIds = pending.ToDictionary(p => p.Entry.Id, p => p.MessageId, StringComparer.Ordinal);
                pending = pending.FindAll(p => failedIds.Contains(p.Entry.Id));
                throw new SqsBatchEntryException(
                    SendAction,
                    failures.Select(f => f with { Id = messageIds.GetValueOrDefault(f.Id, f.Id) }).ToList());
            },
            cancellationToken);
    }

    /// <summary>
    /// The entries SQS refused. An entry the answer lists neither as stored nor as refused is reported as
    /// failed on SQS's side (so it is sent again): a success needs SQS's word that the message is stored.
    /// </summary>
    private static List<SqsBatchEntryFailure> Failures(List<SendMessageBatchRequestEntry> entries, SendMessageBatchResponse response)
    {
        var failures = (response.Failed ?? [])
            .Select(f => new SqsBatchEntryFailure(f.Id ?? "", f.Code ?? "", f.Message ?? "", f.SenderFault ?? false))
            .ToList();
        var stored = (response.Successful ?? []).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!stored.Contains(entry.Id) && !failures.Exists(f => f.Id == entry.Id))
            {
                failures.Add(new SqsBatchEntryFailure(entry.Id, "NotConfirmed", "The answer did not confirm this entry as stored.", SenderFault: false));
            }
        }

        return failures;
    }

    /// <summary>
    /// Checks every message, then splits them into batches of at most ten entries and 1 MiB. Entry ids are
    /// positions in the batch: Notify ids need not be distinct in one call, and SQS demands that.
    /// </summary>
    private static List<List<(SendMessageBatchRequestEntry Entry, string MessageId)>> Chunk(IReadOnlyList<OutgoingMessage> messages)
    {
        var chunks = new List<List<(SendMessageBatchRequestEntry, string)>>();
        var chunk = new List<(SendMessageBatchRequestEntry, string)>();
        long chunkBytes = 0;
        foreach (var message in messages)
        {
            if (message is null)
            {
                throw new ArgumentException("A message is null.", nameof(messages));
            }

            ArgumentException.ThrowIfNullOrEmpty(message.Id, nameof(messages));
            ArgumentNullException.ThrowIfNull(message.Body, nameof(messages));
            QueueLimits.CheckDelay(message.Delay);
            if (message.Body.Length == 0)
            {
                throw new ArgumentException($"Message {message.Id} has an empty body, which SQS does not store.", nameof(messages));
            }

            var size = (long)Encoding.UTF8.GetByteCount(message.Body) + IdAttributeOverhead + Encoding.UTF8.GetByteCount(message.Id);
            if (size > QueueLimits.MaxBodyBytes)
            {
                throw new ArgumentException(
                    $"Message {message.Id} is larger than {QueueLimits.MaxBodyBytes} bytes of UTF-8, counting the id that SQS stores with it.",
                    nameof(messages));
            }

            if (chunk.Count == MaxBatchEntries || chunkBytes + size > MaxBatchBytes)
            {
                chunks.Add(chunk);
                chunk = [];
                chunkBytes = 0;
            }

            var entry = new SendMessageBatchRequestEntry
            {
                Id = chunk.Count.ToString(CultureInfo.InvariantCulture),
                MessageBody = message.Body,
                DelaySeconds = message.Delay > TimeSpan.Zero ? WholeSeconds(message.Delay) : null,
                MessageAttributes = new Dictionary<string, MessageAttributeValue>(1, StringComparer.Ordinal)
                {
                    [IdAttribute] = new() { DataType = "String", StringValue = message.Id },
                },
            };
            chunk.Add((entry, message.Id));
            chunkBytes += size;
        }

        chunks.Add(chunk);
        return chunks;
    }

    private ReceivedMessage ToReceivedMessage(Message message)
    {
        var id = message.MessageAttributes?.GetValueOrDefault(IdAttribute)?.StringValue;
        if (string.IsNullOrEmpty(id))
        {
            // Not sent by Notify (put there by hand, or by another tool): SQS's own id stands in.
            Log.MessageWithoutNotifyId(_logger, message.MessageId);
            id = message.MessageId;
        }

        var attributes = message.Attributes ?? [];
        var receiveCount = attributes.TryGetValue(SqsQueueAttributeNames.ApproximateReceiveCount, out var count)
                           && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedCount)
            ? parsedCount
            : 1;
        var sentAt = attributes.TryGetValue(SqsQueueAttributeNames.SentTimestamp, out var sent)
                     && long.TryParse(sent, NumberStyles.None, CultureInfo.InvariantCulture, out var sentMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(sentMs)
            : _time.GetUtcNow();
        return new ReceivedMessage(id, message.ReceiptHandle, message.Body ?? "", receiveCount, sentAt);
    }

    private static int WholeSeconds(TimeSpan time) => (int)((time.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "SQS queue {QueueName} is ready at {QueueUrl}", EventName = "SqsQueueReady")]
        public static partial void QueueReady(ILogger logger, string queueName, string queueUrl);

        [LoggerMessage(2, LogLevel.Information, "SQS queue {QueueName} found at {QueueUrl}", EventName = "SqsQueueFound")]
        public static partial void QueueFound(ILogger logger, string queueName, string queueUrl);

        [LoggerMessage(3, LogLevel.Warning,
            "SQS queue {QueueName} exists with attributes other than Notify's ({Reason}); using it as it is",
            EventName = "SqsQueueHasOtherAttributes")]
        public static partial void QueueHasOtherAttributes(ILogger logger, string queueName, string reason);

        [LoggerMessage(4, LogLevel.Warning,
            "The SQS endpoint refused MaximumMessageSize=1048576 for queue {QueueName}; it was created with the endpoint's default of {MaximumMessageSize} bytes, and larger bodies will be refused when sent",
            EventName = "SqsMaximumMessageSizeRefused")]
        public static partial void MaximumMessageSizeRefused(ILogger logger, string queueName, string maximumMessageSize);

        [LoggerMessage(5, LogLevel.Warning,
            "SQS failed {Count} entries of a batch on its side ({Code}); retry {Retry} in {Delay}",
            EventName = "SqsRetryingFailedEntries")]
        public static partial void RetryingFailedEntries(ILogger logger, int count, string code, int retry, TimeSpan delay);

        [LoggerMessage(6, LogLevel.Debug, "Deleting with a receipt handle SQS calls stale ({Code}): the message is already gone", EventName = "SqsDeletedStaleHandle")]
        public static partial void DeletedStaleHandle(ILogger logger, string code);

        [LoggerMessage(7, LogLevel.Warning,
            "SQS message {SqsMessageId} has no NotifyMessageId attribute; its SQS id is used instead",
            EventName = "SqsMessageWithoutNotifyId")]
        public static partial void MessageWithoutNotifyId(ILogger logger, string sqsMessageId);
    }
}
