using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// A Notify service whose retries all go through the queue (<c>InProcessRetryLimit</c> 0, webhook schedule
/// "1,2"), the durable path, with one webhook receiver: the ground for end-to-end tests of delivery state.
/// One service per test, so counters and metrics start at zero.
/// </summary>
public abstract class DeliveryScenario(Deployment deployment, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long to wait for anything a Sender does: the machine is small and loaded.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    protected Deployment Deployment => deployment;

    /// <summary>The test's output, for measurements worth reading when it passes too.</summary>
    protected ITestOutputHelper Output => output;

    protected NotifyService Notify { get; private set; } = null!;

    protected WebhookReceiver Receiver { get; private set; } = null!;

    protected HttpClient Http => Notify.Client.Http;

    /// <summary>The process that makes deliveries and counts them in its metrics: the Frontend in Embedded mode, the Sender in Aws mode.</summary>
    protected Uri DeliveringProcess => (Notify.Sender ?? Notify.Process).BaseAddress;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Notify = await NotifyService.StartAsync(
            new Dictionary<string, string?>
            {
                ["Notify:Delivery:InProcessRetryLimit"] = "00:00:00",
                ["Notify:Delivery:Webhook:RetrySeconds"] = "1,2",
            },
            deployment);
    }

    public async Task DisposeAsync()
    {
        await Notify.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>Runs the test's body; when it fails, writes every process's output to the test's output.</summary>
    protected Task ExplainedAsync(Func<Task> body) => Notify.ExplainFailureAsync(output, body);

    /// <summary>Creates the topic, subscribes the receiver's <paramref name="path"/> (with a delivery policy when given) and confirms it.</summary>
    /// <returns>The subscription's id.</returns>
    protected async Task<string> SubscribeConfirmedAsync(string topic, string path, object? deliveryPolicy = null)
    {
        await Notify.Client.CreateTopicAsync(topic);
        var body = new Dictionary<string, object> { ["protocol"] = "webhook", ["endpoint"] = Receiver.Url(path).AbsoluteUri };
        if (deliveryPolicy is not null)
        {
            body["deliveryPolicy"] = deliveryPolicy;
        }

        using var response = await Http.PostAsJsonAsync($"v1/topics/{topic}/subscriptions", body);
        var id = (await NotifyClient.ExpectJsonAsync(response, 201)).GetProperty("id").GetString()!;
        bool IsMine(ReceivedWebhook r) => r.Type == "SubscriptionConfirmation" && r.Json.GetProperty("subscriptionId").GetString() == id;
        var received = await Receiver.WaitUntilAsync(r => r.Any(IsMine), Patience, $"the confirmation of {id}");
        await NotifyClient.FollowLinkAsync(received.First(IsMine).Json.GetProperty("confirmUrl").GetString()!);
        return id;
    }

    protected async Task<string> PublishAsync(string topic, string message) =>
        (await Notify.Client.PublishAsync(topic, new { message })).GetProperty("messageId").GetString()!;

    /// <summary>The notifications that reached <paramref name="path"/>, in arrival order.</summary>
    protected static List<ReceivedWebhook> At(IEnumerable<ReceivedWebhook> received, string path) =>
        [.. received.Where(r => r.Path == "/" + path && r.Type == "Notification").OrderBy(r => r.ArrivedAt)];

    /// <summary>Waits until <paramref name="path"/> has received at least <paramref name="count"/> notifications; returns them in arrival order.</summary>
    protected async Task<List<ReceivedWebhook>> WaitForAsync(string path, int count, string what) =>
        At(await Receiver.WaitUntilAsync(r => At(r, path).Count >= count, Patience, what), path);

    /// <summary>Waits until <paramref name="path"/> has received message <paramref name="messageId"/>.</summary>
    protected async Task WaitForMessageAsync(string path, string messageId, string what) =>
        await Receiver.WaitUntilAsync(r => At(r, path).Any(n => MessageId(n) == messageId), Patience, what);

    protected static string MessageId(ReceivedWebhook notification) => notification.Json.GetProperty("messageId").GetString()!;

    protected static string Header(ReceivedWebhook request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value : $"(no {name})";

    protected Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> condition, string what) =>
        Notify.PollAsync(path, condition, what, Patience);

    protected async Task<JsonElement> GetJsonAsync(string path) => await NotifyClient.ExpectJsonAsync(await Http.GetAsync(path), 200);

    protected static long Count(JsonElement json, string name) => json.GetProperty(name).GetInt64();
}
