using System.Diagnostics;
using System.Text.Json;

namespace Notify.TestServers;

/// <summary>
/// <c>tests/servers/verify-webhook.js</c>: checks a received webhook request with the Standard Webhooks
/// specification's JavaScript library (npm <c>standardwebhooks</c>), as a receiver in another language would.
/// </summary>
public static class StandardWebhooksVerifier
{
    /// <summary>Whether the library accepts the request signed with <paramref name="secret"/>, and its reason when it does not.</summary>
    public static async Task<(bool Verified, string Output)> VerifyAsync(
        string secret, IReadOnlyDictionary<string, string> headers, byte[] rawBody, CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(ServersFolder.Path, "verify-webhook.js");
        if (!Directory.Exists(Path.Combine(ServersFolder.Path, "node_modules", "standardwebhooks")))
        {
            throw new InvalidOperationException(
                $"{ServersFolder.Path}/node_modules/standardwebhooks is missing: run ./test.sh (or `npm ci` in tests/servers).");
        }

        var start = new ProcessStartInfo("node", [script])
        {
            WorkingDirectory = ServersFolder.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var input = JsonSerializer.Serialize(new { secret, headers, body = Convert.ToBase64String(rawBody) });
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var text = (await output + await errors).Trim();
        return process.ExitCode switch
        {
            0 => (true, text),
            1 when text.StartsWith("refused:", StringComparison.Ordinal) => (false, text),
            _ => throw new InvalidOperationException($"verify-webhook.js failed itself (exit {process.ExitCode}): {text}"),
        };
    }
}
