using Surveillance.Cluster;

namespace Surveillance.Tests.Cluster;

/// <summary>The plan every node computes alike: shares, who claims what, who hands over what.</summary>
public sealed class OwnershipPlanTests
{
    private static readonly string[] Twelve = [.. Enumerable.Range(1, 12).Select(i => $"cam-{i:00}")];

    [Fact]
    public void Twelve_cameras_on_three_empty_nodes_are_split_four_each_without_two_nodes_claiming_one_camera()
    {
        var nodes = Nodes(("a", 6), ("b", 6), ("c", 6));
        var claims = nodes.Select(n => OwnershipPlan.Compute(Twelve, new Dictionary<string, string>(), nodes, n.Silo).Claims).ToList();

        Assert.All(claims, c => Assert.Equal(4, c.Count));
        Assert.Equal(12, claims.SelectMany(c => c).Distinct().Count());
    }

    [Fact]
    public void When_a_node_dies_only_its_cameras_move_and_the_survivors_split_them()
    {
        var owners = Split(Twelve, "a", "b", "c");
        var survivors = Nodes(("a", 6), ("b", 6));
        var alive = owners.Where(o => o.Value != "c").ToDictionary();

        var a = OwnershipPlan.Compute(Twelve, alive, survivors, "a");
        var b = OwnershipPlan.Compute(Twelve, alive, survivors, "b");

        Assert.Empty(a.Releases);
        Assert.Empty(b.Releases);
        var orphans = owners.Where(o => o.Value == "c").Select(o => o.Key).Order().ToList();
        Assert.Equal(orphans, a.Claims.Concat(b.Claims).Order());
        Assert.Equal(2, a.Claims.Count);
        Assert.Equal(2, b.Claims.Count);
    }

    [Fact]
    public void A_node_joining_a_full_cluster_gets_its_share_and_no_more_cameras_move_than_it_takes()
    {
        string[] fourteen = [.. Enumerable.Range(1, 14).Select(i => $"cam-{i:00}")];
        // Capacities 4, 4, 8 carry 14 as 4, 4, 6; a fourth node of 8 joins.
        var owners = new Dictionary<string, string>();
        for (var i = 0; i < 14; i++)
            owners[fourteen[i]] = i < 4 ? "a" : i < 8 ? "b" : "c";
        var nodes = Nodes(("a", 4), ("b", 4), ("c", 8), ("d", 8));

        var moves = 0;
        for (var round = 0; round < 5; round++)
        {
            var plans = nodes.ToDictionary(n => n.Silo, n => OwnershipPlan.Compute(fourteen, owners, nodes, n.Silo));
            // Handed over this round, claimed from the next: as the nodes do it.
            foreach (var (silo, plan) in plans)
            {
                foreach (var camera in plan.Claims)
                    owners[camera] = silo;
                foreach (var camera in plan.Releases)
                {
                    owners.Remove(camera);
                    moves++;
                }
            }
        }

        var counts = nodes.ToDictionary(n => n.Silo, n => owners.Count(o => o.Value == n.Silo));
        Assert.Equal(14, owners.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 3, 4)); // a fair share of 3.5, ±20%
        Assert.All(nodes, n => Assert.True(counts[n.Silo] <= n.Capacity));
        Assert.Equal(counts["d"], moves);
    }

    [Fact]
    public void Demand_above_the_clusters_capacity_is_left_unowned_and_no_node_takes_more_than_its_capacity()
    {
        string[] fourteen = [.. Enumerable.Range(1, 14).Select(i => $"cam-{i:00}")];
        var nodes = Nodes(("a", 4), ("b", 4));

        var a = OwnershipPlan.Compute(fourteen, new Dictionary<string, string>(), nodes, "a");
        var b = OwnershipPlan.Compute(fourteen, new Dictionary<string, string>(), nodes, "b");

        Assert.Equal(4, a.Claims.Count);
        Assert.Equal(4, b.Claims.Count);
        Assert.Equal(6, a.Unowned);
    }

    [Fact]
    public void A_draining_node_hands_over_everything_and_is_given_nothing()
    {
        var owners = Split(Twelve, "a", "b", "c");
        var nodes = new List<PlannedNode> { new("a", 6, false), new("b", 6, false), new("c", 6, Draining: true) };

        var c = OwnershipPlan.Compute(Twelve, owners, nodes, "c");
        var a = OwnershipPlan.Compute(Twelve, owners, nodes, "a");

        Assert.Equal(4, c.Releases.Count);
        Assert.Empty(c.Claims);
        Assert.Empty(a.Releases);
    }

    private static List<PlannedNode> Nodes(params (string Silo, int Capacity)[] nodes) => [.. nodes.Select(n => new PlannedNode(n.Silo, n.Capacity, false))];

    private static Dictionary<string, string> Split(string[] cameras, params string[] silos) =>
        cameras.Select((c, i) => (c, silos[i % silos.Length])).ToDictionary(p => p.c, p => p.Item2);
}
