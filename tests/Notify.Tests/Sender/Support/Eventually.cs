namespace Notify.Tests.Sender.Support;

/// <summary>Waits for something real (a socket, a thread-pool continuation) to happen, without asserting how fast.</summary>
internal static class Eventually
{
    public static async Task<T> Within<T>(Task<T> task) => await task.WaitAsync(TimeSpan.FromSeconds(15));

    public static async Task Within(Task task) => await task.WaitAsync(TimeSpan.FromSeconds(15));

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after 15 s.</summary>
    public static async Task True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 15 s for {what}.");
            }

            await Task.Delay(10);
        }
    }
}
