using System.Globalization;

namespace Notify.Shared.Redis;

/// <summary>
/// Consistent hashing with virtual nodes. Each node stands at <c>virtualNodes</c> points of a 64-bit circle,
/// at <see cref="StableHash"/> of <c>"{name}#{i}"</c>; <b>a key belongs to the node of the first point at or
/// clockwise after <see cref="StableHash"/> of the key</b> (wrapping past the top). Adding a node therefore
/// takes keys only for the new node (about 1/n of them), and removing one hands only its own keys on.
/// </summary>
/// <remarks>
/// Membership changes happen under a lock and publish a new immutable, sorted snapshot; lookups read the
/// current snapshot without locking and find the point by binary search.
/// </remarks>
internal sealed class HashRing<TNode> where TNode : class
{
    private readonly Func<TNode, string> _nameOf;
    private readonly int _virtualNodes;
    private readonly Lock _gate = new();
    private Snapshot _snapshot;

    /// <param name="nameOf">The node's name, hashed to place it: every process must name a node alike.</param>
    public HashRing(IEnumerable<TNode> nodes, Func<TNode, string> nameOf, int virtualNodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodes, 1);
        _nameOf = nameOf;
        _virtualNodes = virtualNodes;
        _snapshot = Build([.. nodes]);
    }

    public IReadOnlyList<TNode> Nodes => Volatile.Read(ref _snapshot).Nodes;

    public void Add(TNode node)
    {
        lock (_gate)
        {
            Volatile.Write(ref _snapshot, Build([.. _snapshot.Nodes, node]));
        }
    }

    /// <summary>Removes the node with <paramref name="node"/>'s name, if present.</summary>
    public bool Remove(TNode node)
    {
        var name = _nameOf(node);
        lock (_gate)
        {
            var remaining = _snapshot.Nodes.Where(n => _nameOf(n) != name).ToArray();
            if (remaining.Length == _snapshot.Nodes.Length)
            {
                return false;
            }

            Volatile.Write(ref _snapshot, Build(remaining));
            return true;
        }
    }

    /// <summary>The node that owns <paramref name="key"/>; null only when the ring is empty.</summary>
    public TNode? Owner(string key)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        return snapshot.Points.Length == 0 ? null : snapshot.Nodes[snapshot.Owners[snapshot.FirstPointAtOrAfter(StableHash.Of(key))]];
    }

    /// <summary>
    /// The first node clockwise from <paramref name="key"/> for which <paramref name="isLive"/> holds: the
    /// owner while it is live, else the node its keys fall to. Null when no node is live.
    /// </summary>
    public TNode? Owner(string key, Func<TNode, bool> isLive)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var nodes = snapshot.Nodes;
        if (nodes.Length == 0)
        {
            return null;
        }

        Span<bool> asked = nodes.Length <= 256 ? stackalloc bool[nodes.Length] : new bool[nodes.Length];
        var askedCount = 0;
        var start = snapshot.FirstPointAtOrAfter(StableHash.Of(key));
        for (var step = 0; step < snapshot.Points.Length && askedCount < nodes.Length; step++)
        {
            var owner = snapshot.Owners[(start + step) % snapshot.Points.Length];
            if (asked[owner])
            {
                continue;
            }

            if (isLive(nodes[owner]))
            {
                return nodes[owner];
            }

            asked[owner] = true;
            askedCount++;
        }

        return null;
    }

    /// <summary>Every node once, in the order <see cref="Owner(string, Func{TNode, bool})"/> would try them for <paramref name="key"/>.</summary>
    public IReadOnlyList<TNode> Preference(string key)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var order = new List<TNode>(snapshot.Nodes.Length);
        var seen = new bool[snapshot.Nodes.Length];
        var start = snapshot.Points.Length == 0 ? 0 : snapshot.FirstPointAtOrAfter(StableHash.Of(key));
        for (var step = 0; step < snapshot.Points.Length && order.Count < snapshot.Nodes.Length; step++)
        {
            var owner = snapshot.Owners[(start + step) % snapshot.Points.Length];
            if (!seen[owner])
            {
                seen[owner] = true;
                order.Add(snapshot.Nodes[owner]);
            }
        }

        return order;
    }

    private Snapshot Build(TNode[] nodes)
    {
        var names = nodes.Select(_nameOf).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException("Every node on the ring needs a distinct name: " + string.Join(", ", names), nameof(nodes));
        }

        var points = new (ulong Point, string Name, int Node)[nodes.Length * _virtualNodes];
        for (var node = 0; node < nodes.Length; node++)
        {
            for (var i = 0; i < _virtualNodes; i++)
            {
                var name = names[node];
                points[(node * _virtualNodes) + i] = (StableHash.Of(name + "#" + i.ToString(CultureInfo.InvariantCulture)), name, node);
            }
        }

        // Ties (as good as impossible in 64 bits) are broken by name, so every process orders them alike.
        Array.Sort(points, static (a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : string.CompareOrdinal(a.Name, b.Name));
        return new Snapshot([.. points.Select(p => p.Point)], [.. points.Select(p => p.Node)], nodes);
    }

    private sealed class Snapshot(ulong[] points, int[] owners, TNode[] nodes)
    {
        /// <summary>The points of all nodes, ascending.</summary>
        public ulong[] Points { get; } = points;

        /// <summary>For each point, the index in <see cref="Nodes"/> of the node standing there.</summary>
        public int[] Owners { get; } = owners;

        public TNode[] Nodes { get; } = nodes;

        /// <summary>Index of the first point at or after <paramref name="hash"/>, wrapping to 0 past the last.</summary>
        public int FirstPointAtOrAfter(ulong hash)
        {
            var index = Array.BinarySearch(Points, hash);
            if (index < 0)
            {
                index = ~index;
            }

            while (index > 0 && index < Points.Length && Points[index - 1] == hash)
            {
                index--;
            }

            return index == Points.Length ? 0 : index;
        }
    }
}
