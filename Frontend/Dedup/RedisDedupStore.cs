using Microsoft.Extensions.Options;
using Notify.Shared.Redis;
using StackExchange.Redis;

namespace Notify.Frontend.Dedup;

/// <summary>
/// Dedup claims on the cache ring (Aws mode): a claim lives on the ring node that owns its key, with a
/// Redis expiry of the dedup window, so every Frontend sees every claim and nothing needs purging.
/// </summary>
/// <remarks>
/// <para>
/// When the owner is down, the claim goes to the next live node clockwise, the node every Frontend that
/// also sees the owner down picks (each process tracks node health itself). A repeat that straddles a node failure (first publish claimed on one node, repeat checked on
/// another) finds no claim and is delivered twice: delivery is at-least-once, and receivers already
/// tolerate duplicates from retries. The node that comes back is flushed before use (see
/// <see cref="RedisNode.ProbeAsync"/>), which can only cause such a repeat, never hide a new message.
/// </para>
/// <para>
/// When no node answers, <see cref="ClaimAsync"/> throws <see cref="DedupUnavailableException"/> (503)
/// instead of accepting without a check. The caller sent a dedup id because it retries (after a timeout,
/// a crash); accepting those retries unchecked would deliver each one again while answering
/// <c>"duplicate": false</c>, a promise broken in silence. A 503 queues nothing, the retry with the same id is
/// safe, and publishes without a dedup id never reach this store, so they go on during the outage.
/// </para>
/// </remarks>
internal sealed class RedisDedupStore(RedisNodePool pool, IOptions<DedupOptions> options) : IDedupStore
{
    private const string KeyPrefix = "dedup:";

    // A pending claim's value carries this prefix; an accepted claim's value is the bare message id, as
    // every claim was before claims had two phases, so such entries still read as accepted.
    private const string PendingPrefix = "pending:";

    // The claim and the read of the holder in one atomic step: one round trip, and no expiry can fall
    // between a failed SET NX and the GET that would then find nothing.
    private const string ClaimScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          return ARGV[1]
        end
        return redis.call('GET', KEYS[1])
        """;

    // Only while the claim is still this message's pending one: its lease may have lapsed and another
    // publish taken the key.
    private const string AcceptScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
          return 1
        end
        return 0
        """;

    // Only this message's claim: a later publish may hold the key by now.
    private const string ReleaseScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] or holder == ARGV[2] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private readonly long _windowMilliseconds = (long)options.Value.Window.TotalMilliseconds;
    private readonly long _leaseMilliseconds = (long)options.Value.PendingLease.TotalMilliseconds;

    public async Task<DedupClaim> ClaimAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var claim = (Key: (RedisKey)(KeyPrefix + key), Value: (RedisValue)(PendingPrefix + messageId), Lease: (RedisValue)_leaseMilliseconds);
        for (var attempt = 0; attempt < pool.Nodes.Count; attempt++)
        {
            // A node that fails now is marked down, so the next attempt asks the next node clockwise.
            var node = pool.FirstUsable(KeyPrefix + key);
            if (node is null)
            {
                break;
            }

            // Not the caller's token: a claim once sent may be stored, and only a claim that returns can be
            // released by the Publisher if the request is abandoned before the message is queued.
            var reply = await node.RunAsync(claim, static (database, claim) =>
                database.ScriptEvaluateAsync(ClaimScript, [claim.Key], [claim.Value, claim.Lease]), CancellationToken.None);
            if (reply.Succeeded)
            {
                var holder = (string)reply.Value!;
                return holder.StartsWith(PendingPrefix, StringComparison.Ordinal)
                    ? DedupClaim.Pending(holder[PendingPrefix.Length..])
                    : DedupClaim.AcceptedBy(holder);
            }
        }

        throw new DedupUnavailableException(
            $"No node of the cache ring ({RedisOptions.SectionName}:{nameof(RedisOptions.Nodes)}) answered, so this publish could not be checked against its dedup id and was not accepted. Retry it with the same dedup id; publishes without a dedup id are unaffected.");
    }

    public async Task AcceptAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        var accept = (Key: (RedisKey)(KeyPrefix + key), Pending: (RedisValue)(PendingPrefix + messageId), MessageId: (RedisValue)messageId, Window: (RedisValue)_windowMilliseconds);

        // The claim was made a moment ago on the first usable node, which is almost always still the one.
        // If it is not there (the ring's view of node health changed in between), it is on another node.
        var likely = pool.FirstUsable(KeyPrefix + key);
        if (likely is not null && await AcceptOnAsync(likely, accept))
        {
            return;
        }

        await Task.WhenAll(pool.Nodes.Where(node => node != likely).Select(node => AcceptOnAsync(node, accept)));
    }

    // A node that cannot be asked leaves the claim pending: it lapses after its lease, and a repeat after
    // that is delivered again (at-least-once), never lost.
    private static async Task<bool> AcceptOnAsync(RedisNode node, (RedisKey Key, RedisValue Pending, RedisValue MessageId, RedisValue Window) accept)
    {
        var reply = await node.RunAsync(accept, static (database, accept) =>
            database.ScriptEvaluateAsync(AcceptScript, [accept.Key], [accept.Pending, accept.MessageId, accept.Window]), CancellationToken.None);
        return reply.Succeeded && (long)reply.Value! == 1;
    }

    public Task ReleaseAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        // On every node, not just today's owner: the claim sits on whichever node was first live when it was
        // made, and a claim left behind would answer the retry of a message that was never accepted with a
        // 409 until its lease lapses. Releases are rare (a publish that failed), and a node that cannot be
        // asked is flushed before it is used again.
        var release = (Key: (RedisKey)(KeyPrefix + key), Pending: (RedisValue)(PendingPrefix + messageId), MessageId: (RedisValue)messageId);
        return Task.WhenAll(pool.Nodes.Select(node => ReleaseOnAsync(node, release)));
    }

    private static async Task ReleaseOnAsync(RedisNode node, (RedisKey Key, RedisValue Pending, RedisValue MessageId) release)
    {
        var reply = await node.RunAsync(release, static (database, release) =>
            database.ScriptEvaluateAsync(ReleaseScript, [release.Key], [release.Pending, release.MessageId]), CancellationToken.None);
        if (!reply.Succeeded)
        {
            node.NoteMissedRemoval();
        }
    }
}
