using System.Net;
using Notify.Sender.Channels;
using Notify.Sender.Channels.Webhooks;
using Notify.Tests.Webhooks.Support;

namespace Notify.Tests.Webhooks;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RetryDelays_GrowExponentiallyWithJitterAndNeverExceedMaxDelay()
    {
        using var handler = new AlwaysUnavailable();
        using var harness = WebhookHarness.Create(
            new Dictionary<string, string?>
            {
                ["Notify:Webhooks:MaxAttempts"] = "9",
                ["Notify:Webhooks:BaseDelay"] = Base.ToString(),
                ["Notify:Webhooks:MaxDelay"] = Max.ToString(),
            },
            primaryHandler: handler);

        var (result, delays) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(new Uri("https://hooks.example/orders")));

        Assert.False(result.Delivered);
        Assert.Equal(9, handler.Calls);
        Assert.Equal(8, delays.Count);
        for (var retry = 0; retry < delays.Count; retry++)
        {
            var ceiling = Math.Min(Math.Pow(2, retry), Max.TotalSeconds);
            var floor = Math.Min(Math.Pow(2, retry) / 2, Max.TotalSeconds);
            Assert.InRange(delays[retry].TotalSeconds, floor, ceiling);
            Assert.True(retry == 0 || delays[retry] >= delays[retry - 1], $"retry {retry} waited less than the one before");
        }

        Assert.Equal(Max, delays[^1]);
    }

    [Theory]
    [InlineData(0, 0.0, 500)]
    [InlineData(0, 0.999999, 1000)]
    [InlineData(1, 0.0, 1000)]
    [InlineData(3, 0.0, 4000)]
    [InlineData(3, 0.5, 6000)]
    public void Delay_IsBetweenHalfAndAllOfTheExponentialCeiling(int retry, double random, int expectedMilliseconds)
    {
        var delay = RetryBackoff.Delay(retry, Base, TimeSpan.FromHours(1), random);

        Assert.Equal(expectedMilliseconds, delay.TotalMilliseconds, precision: 0);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(31)]
    [InlineData(int.MaxValue)]
    public void Delay_ForLateRetries_IsCappedAtMaxDelay(int retry)
    {
        Assert.Equal(Max, RetryBackoff.Delay(retry, Base, Max, 0.0));
    }

    private sealed class AlwaysUnavailable : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }
}
