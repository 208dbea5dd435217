namespace Notify.Shared.Redis;

/// <summary>Whether this process uses a ring node.</summary>
public enum NodeState
{
    /// <summary>The first connection attempt is under way; callers wait for it (at most the connect timeout).</summary>
    Connecting,

    /// <summary>Commands go to the node.</summary>
    Up,

    /// <summary>Commands skip the node (a cache miss) until a probe re-admits it.</summary>
    Down,
}
