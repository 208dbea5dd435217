namespace Notify.IntegrationTests.Support;

internal static class PickupFiles
{
    /// <summary>Waits for the first <c>.eml</c> file in a pickup directory; returns its path.</summary>
    public static async Task<string> WaitForFirstAsync(string folder, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(folder) && Directory.GetFiles(folder, "*.eml").FirstOrDefault() is { } file && new FileInfo(file).Length > 0)
            {
                return file;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No .eml file appeared in {folder} within {patience.TotalSeconds:F0} s.");
    }
}
