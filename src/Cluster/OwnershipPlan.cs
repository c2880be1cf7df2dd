namespace Surveillance.Cluster;

/// <summary>A node of the cluster as the plan sees it: its silo address, how many cameras it may run, whether it is leaving.</summary>
public sealed record PlannedNode(string Silo, int Capacity, bool Draining);

/// <summary>
/// Who should run which camera, computed the same way by every node from the same view (the active silos, their
/// capacities, the current owners), so that nodes agree without talking; the shared store settles the rare case of two
/// views that differ, since a camera with a live owner cannot be claimed. Cameras stay where they are unless a node is
/// above its share: a node's death or arrival moves only the cameras it must.
/// </summary>
/// <remarks>
/// Shares fill the nodes evenly up to their capacities (water filling): with a level <c>C</c>, the smallest for which
/// <c>Σ min(capacity, C)</c> covers the cameras, a node may hold up to <c>min(capacity, C)</c> and should hold at least
/// one fewer (exactly that when the sum is exact). Cameras beyond the cluster's total capacity stay unowned.
/// </remarks>
public sealed class OwnershipPlan
{
    private OwnershipPlan(Dictionary<string, (int Floor, int Ceiling)> shares, List<string> claims, List<string> releases, int unowned)
    {
        Shares = shares;
        Claims = claims;
        Releases = releases;
        Unowned = unowned;
    }

    /// <summary>Each active node's share: at least <c>Floor</c>, at most <c>Ceiling</c> cameras.</summary>
    public IReadOnlyDictionary<string, (int Floor, int Ceiling)> Shares { get; }

    /// <summary>Cameras without a live owner that this node should claim.</summary>
    public IReadOnlyList<string> Claims { get; }

    /// <summary>Cameras this node holds above its share (all of them when it drains), to hand over.</summary>
    public IReadOnlyList<string> Releases { get; }

    /// <summary>Cameras that no node will run once the plan is carried out: demand above the cluster's capacity.</summary>
    public int Unowned { get; }

    /// <param name="cameras">The enabled cameras of the inventory.</param>
    /// <param name="owners">The live owner (an active silo) of each camera that has one.</param>
    /// <param name="nodes">The active nodes.</param>
    /// <param name="me">This node's silo.</param>
    public static OwnershipPlan Compute(IEnumerable<string> cameras, IReadOnlyDictionary<string, string> owners, IReadOnlyList<PlannedNode> nodes, string me)
    {
        var demand = cameras.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var eligible = nodes.Where(n => !n.Draining && n.Capacity > 0).OrderBy(n => n.Silo, StringComparer.Ordinal).ToList();
        var shares = FairShares(demand.Count, eligible);
        foreach (var node in nodes.Where(n => !shares.ContainsKey(n.Silo)))
            shares[node.Silo] = (0, 0);

        var held = nodes.ToDictionary(n => n.Silo, _ => new List<string>(), StringComparer.Ordinal);
        var free = new List<string>();
        foreach (var camera in demand)
        {
            if (owners.TryGetValue(camera, out var owner) && held.TryGetValue(owner, out var list))
                list.Add(camera);
            else
                free.Add(camera);
        }

        // Above its ceiling a node hands over its last cameras (by id): everyone can tell which ones.
        var releases = new List<string>();
        var handedOver = 0;
        foreach (var (silo, list) in held)
        {
            var excess = list.Count - shares[silo].Ceiling;
            if (excess <= 0)
                continue;
            handedOver += excess;
            var released = list.GetRange(list.Count - excess, excess);
            list.RemoveRange(list.Count - excess, excess);
            if (silo == me)
                releases.AddRange(released);
        }

        // A node below its floor with nothing free to claim is filled by nodes above theirs, the fullest first: a node
        // that joins a full cluster gets its share, and no camera moves that need not.
        // What is handed over above ceilings now is free at the next round, and counts against the deficit already.
        var deficit = eligible.Sum(n => Math.Max(0, shares[n.Silo].Floor - held[n.Silo].Count)) - free.Count - handedOver;
        while (deficit > 0)
        {
            var giver = eligible.Where(n => held[n.Silo].Count > shares[n.Silo].Floor)
                .OrderByDescending(n => held[n.Silo].Count).ThenBy(n => n.Silo, StringComparer.Ordinal).FirstOrDefault();
            if (giver is null)
                break;
            var list = held[giver.Silo];
            if (giver.Silo == me)
                releases.Add(list[^1]);
            list.RemoveAt(list.Count - 1);
            deficit--;
        }

        // Free cameras (no live owner) go first to nodes below their floor, then one at a time to the least loaded below
        // its ceiling. What another node releases now is claimed at the next round, once it is free.
        var claims = new List<string>();
        var next = 0;
        foreach (var node in eligible)
        {
            var want = shares[node.Silo].Floor - held[node.Silo].Count;
            for (; want > 0 && next < free.Count; want--, next++)
                Take(node.Silo, free[next]);
        }
        while (next < free.Count)
        {
            var room = eligible.Where(n => held[n.Silo].Count < shares[n.Silo].Ceiling)
                .OrderBy(n => held[n.Silo].Count).ThenBy(n => n.Silo, StringComparer.Ordinal).FirstOrDefault();
            if (room is null)
                break;
            Take(room.Silo, free[next++]);
        }
        return new OwnershipPlan(shares, claims, releases, free.Count - next);

        void Take(string silo, string camera)
        {
            held[silo].Add(camera);
            if (silo == me)
                claims.Add(camera);
        }
    }

    private static Dictionary<string, (int Floor, int Ceiling)> FairShares(int cameras, List<PlannedNode> nodes)
    {
        var shares = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        if (nodes.Count == 0)
            return shares;
        var total = Math.Min(cameras, nodes.Sum(n => (long)n.Capacity));
        // The smallest level that covers the cameras; at most the largest capacity.
        int low = 0, high = nodes.Max(n => n.Capacity);
        while (low < high)
        {
            var mid = low + (high - low) / 2;
            if (Filled(mid) >= total)
                high = mid;
            else
                low = mid + 1;
        }
        var exact = Filled(low) == total;
        foreach (var node in nodes)
        {
            var ceiling = Math.Min(node.Capacity, low);
            shares[node.Silo] = (exact ? ceiling : Math.Min(node.Capacity, Math.Max(0, low - 1)), ceiling);
        }
        return shares;

        long Filled(int level) => nodes.Sum(n => (long)Math.Min(n.Capacity, level));
    }
}
