namespace Notify.TestServers;

/// <summary>Starting several servers at once, all or none.</summary>
internal static class StartAll
{
    /// <summary>
    /// Waits for every start; when one fails, stops them all (those that started are not left running
    /// for a fixture nobody will dispose) and rethrows.
    /// </summary>
    public static async Task OrStopAsync(IEnumerable<Task> starts, Func<Task> stopAll)
    {
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            await stopAll();
            throw;
        }
    }
}
