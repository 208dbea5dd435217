using Microsoft.Extensions.Hosting;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// Finds (or creates) the SQS queue while the host starts, so a missing queue or missing credentials
/// stop the process at start-up with a message that says what to do, rather than failing the first
/// publish; and so the first publish does not pay for the lookup.
/// </summary>
internal sealed class SqsQueueStartup(IMessageQueue queue) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Another queue may have been registered in its place (tests do); then there is nothing to find.
        if (queue is SqsMessageQueue sqs)
        {
            await sqs.GetQueueUrlAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
