namespace Notify.Shared.Redis;

/// <summary>What one command on a ring node gave: its reply, or nothing when the node could not answer.</summary>
public readonly record struct NodeResult<T>(bool Succeeded, T Value)
{
    public static NodeResult<T> Unavailable => default;
}
