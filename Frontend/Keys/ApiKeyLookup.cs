using System.Collections.Concurrent;
using Notify.Metadata.Keys;

namespace Notify.Frontend.Keys;

/// <summary>
/// Finds the stored key of a presented key's hash, remembering each answer (a key, or "none") for
/// <see cref="Lifetime"/> so that a publisher's requests do not each cost a store read. A key deleted through
/// this Frontend is forgotten at once (<see cref="Forget"/>); another Frontend of the installation stops
/// accepting it within <see cref="Lifetime"/>. Expiry is not cached: the caller checks it on every request.
/// </summary>
internal sealed class ApiKeyLookup(IApiKeyStore store, TimeProvider clock)
{
    /// <summary>How long an answer of the store is reused: 5 s.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    // Wrong keys are remembered too (a client retrying with a bad key should not hammer the store), so the
    // cache is bounded: past this many entries it starts again empty rather than grow with every guess.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (ApiKey? Key, DateTimeOffset Until)> _answers = new(StringComparer.Ordinal);

    public async ValueTask<ApiKey?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_answers.TryGetValue(keyHash, out var answer) && answer.Until > now)
        {
            return answer.Key;
        }

        var key = await store.FindByHashAsync(keyHash, cancellationToken);
        if (key is not null && !KeySecrets.SameHash(key.KeyHash, keyHash))
        {
            key = null;
        }

        if (_answers.Count >= MaxEntries)
        {
            _answers.Clear();
        }

        _answers[keyHash] = (key, now + Lifetime);
        return key;
    }

    /// <summary>Drops what is remembered of a key, so a delete on this Frontend takes effect on the next request.</summary>
    public void Forget(string keyHash) => _answers.TryRemove(keyHash, out _);
}
