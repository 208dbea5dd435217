using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.Embedded;
using Notify.Metadata.Deliveries.FanOut;
using Notify.Metadata.Deliveries.Pacing;
using Notify.Metadata.Store;
using Notify.Sender;
using Notify.Sender.Channels;
using Notify.Sender.Delivery;
using Notify.Sender.FanOut;
using Notify.Sender.Processing;
using Notify.Shared.Queue;
using Notify.Tests.Support;

namespace Notify.Tests.Sender.Support;

/// <summary>
/// Builds a <see cref="MessageProcessor"/> with everything it delivers through, as the host would: the
/// delivery store is a real SQLite file in a temporary directory, deleted with the builder.
/// </summary>
internal sealed class ProcessorBuilder : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly TestMeters _meters = new();

    public ProcessorBuilder(TimeProvider clock, FakeLogCollector logs)
    {
        Clock = clock;
        Logs = logs;
        Deliveries = new SqliteDeliveryStore(Path.Combine(_directory.Path, "deliveries.db"), TestCipher.Instance, clock);
        Counters = new DeliveryCounters(Deliveries, clock);
        FanOuts = new SqliteFanOutProgress(Path.Combine(_directory.Path, "deliveries.db"), clock);
    }

    /// <summary>Where large fan-outs mark how far their split has come.</summary>
    public SqliteFanOutProgress FanOuts { get; }

    public TimeProvider Clock { get; }

    public FakeLogCollector Logs { get; }

    public SqliteDeliveryStore Deliveries { get; }

    public DeliveryCounters Counters { get; }

    /// <summary>The metrics the processor records, on a meter of this builder's own.</summary>
    public TestMeters Meters => _meters;

    /// <summary>Retry schedules and retention; change before <see cref="Build"/>.</summary>
    public DeliveryOptions Options { get; } = new();

    public MessageProcessor Build(IMessageQueue queue, IMetadataStore store, IEnumerable<IDeliveryChannel> channels, SenderOptions options)
    {
        var registered = new DeliveryChannels(channels);
        var delivery = Microsoft.Extensions.Options.Options.Create(Options);
        var workQueue = new DeliveryWorkQueue(queue, Clock);
        var ledger = new DeliveryLedger(Deliveries, Counters, _meters.Metrics, delivery, Clock, Logger<DeliveryLedger>());
        var outcomes = new SubscriptionOutcomes(store, Clock, Logger<SubscriptionOutcomes>());
        var runner = new DeliveryRunner(
            registered,
            new DeliverySchedules(delivery),
            new SubscriptionPacer(new SqlitePaceStore(Path.Combine(_directory.Path, "deliveries.db"), Clock), Clock),
            workQueue,
            ledger,
            new SubscriptionDisabler(store, Deliveries, delivery, Clock, Logger<SubscriptionDisabler>()),
            outcomes,
            delivery,
            Clock,
            Logger<DeliveryRunner>());
        var sender = Microsoft.Extensions.Options.Options.Create(options);
        var splitter = new FanOutSplitter(store, FanOuts, queue, sender, delivery, Clock, Logger<FanOutSplitter>());
        return new MessageProcessor(
            queue, store, registered, runner, workQueue, ledger, splitter, outcomes, _meters.Metrics, sender, Clock, Logger<MessageProcessor>());
    }

    public void Dispose()
    {
        _meters.Dispose();
        _directory.Dispose();
    }

    private FakeLogger<T> Logger<T>() => new(Logs);
}
