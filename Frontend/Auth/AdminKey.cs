using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;
using Notify.Shared.Storage;

namespace Notify.Frontend.Auth;

/// <summary>
/// The admin key's SHA-256 hash, from configuration or from the data directory. Only the hash is ever
/// kept, and presented keys are compared hash to hash in constant time, so neither a stolen data
/// directory nor response timing reveals the key.
/// </summary>
internal sealed partial class AdminKey
{
    internal const string HashFileName = "admin-key.sha256";
    private const string Prefix = "nfy_";

    private readonly byte[] _hash;

    public AdminKey(IOptions<AuthOptions> auth, IOptions<NotifyOptions> notify, ILogger<AdminKey> logger)
    {
        if (!string.IsNullOrEmpty(auth.Value.AdminKey))
        {
            _hash = Hash(auth.Value.AdminKey);
            Log.UsingConfiguredKey(logger);
            return;
        }

        var file = Path.Combine(notify.Value.EnsureDataDirectory(), HashFileName);
        if (File.Exists(file))
        {
            _hash = Convert.FromHexString(File.ReadAllText(file).Trim());
            Log.UsingStoredKey(logger, file);
            return;
        }

        var key = Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        _hash = Hash(key);
        // Created 0600 at once (not written, then tightened): no moment in which others may read it.
        using (var stream = new FileStream(file, OwnerOnly.CreateNew()))
        {
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(_hash) + "\n"));
        }

        // Written to the console, not the log pipeline, so the key is shown once and never shipped.
        Console.WriteLine($"""

            Notify generated an admin API key (shown only this once; only its hash is kept in {file}):

                {key}

            Use it on every /v1 call:  curl -H "Authorization: Bearer {key}" ...
            To choose your own key instead, set Notify:Auth:AdminKey (env Notify__Auth__AdminKey).

            """);
    }

    public bool Matches(ReadOnlySpan<char> presented) =>
        !presented.IsEmpty && CryptographicOperations.FixedTimeEquals(Hash(presented), _hash);

    /// <summary>A short, non-reversible name for the caller in audit lines.</summary>
    public string Id => "admin:" + Convert.ToHexStringLower(_hash, 0, 4);

    private static byte[] Hash(ReadOnlySpan<char> key)
    {
        var bytes = Encoding.UTF8.GetBytes(key.ToArray());
        return SHA256.HashData(bytes);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Using the admin API key from Notify:Auth:AdminKey", EventName = "AdminKeyConfigured")]
        public static partial void UsingConfiguredKey(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "Using the admin API key whose hash is stored in {File}", EventName = "AdminKeyStored")]
        public static partial void UsingStoredKey(ILogger logger, string file);
    }
}
