namespace Notify.Tests.Sender.Support;

/// <summary>Waits for something real (a socket, a thread-pool continuation) to happen, without asserting how fast.</summary>
internal static class Eventually
{
    public static async Task<T> Within<T>(Task<T> task) => await task.WaitAsync(TimeSpan.FromSeconds(15));

    public static async Task Within(Task task) => await task.WaitAsync(TimeSpan.FromSeconds(15));
}
