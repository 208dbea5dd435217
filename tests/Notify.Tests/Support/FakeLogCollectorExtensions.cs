namespace Notify.Tests;

/// <summary>The two questions tests ask of <see cref="FakeLogCollector"/> that it has no single call for.</summary>
internal static class FakeLogCollectorExtensions
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    extension(FakeLogCollector logs)
    {
        /// <summary>Every message and exception logged, to check that a secret or a body never appears.</summary>
        public string AllText => string.Join('\n', logs.GetSnapshot().Select(r => $"{r.Level} {r.Id.Name}: {r.Message} {r.Exception}"));

        /// <summary>Completes once a record with this event name has been logged (before or after the call).</summary>
        public async Task WhenLoggedAsync(string eventName)
        {
            using var patience = new CancellationTokenSource(Patience);
            try
            {
                await foreach (var record in logs.GetLogsAsync(patience.Token))
                {
                    if (record.Id.Name == eventName)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (patience.IsCancellationRequested)
            {
                throw new TimeoutException($"Nothing was logged as {eventName} within {Patience.TotalSeconds} s.");
            }
        }
    }
}
