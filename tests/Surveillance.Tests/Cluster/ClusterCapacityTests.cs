using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Cluster;

/// <summary>Capacities on real nodes: never exceeded, the excess reported unowned, and a joining node given its share.</summary>
public sealed class ClusterCapacityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task No_node_exceeds_its_capacity_the_excess_is_unowned_a_fourth_node_evens_the_shares_and_a_drained_node_hands_its_cameras_over()
    {
        await using var cluster = await ClusterUnderTest.StartAsync();
        var cameras = cluster.WriteInventory(14, RepoPaths.VtestAvi);
        var nodes = new List<ClusterNode> { await cluster.StartNodeAsync(1, capacity: 4), await cluster.StartNodeAsync(2, capacity: 4) };

        // Sampled all along, from each node's own metrics.
        using var stop = new CancellationTokenSource();
        var exceeded = new List<string>();
        var watch = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var node in nodes.ToList())
                {
                    try
                    {
                        var owned = Exposition.Value(await cluster.MetricsAsync(node), "surveillance_cluster_cameras_owned", null);
                        if (owned > node.Capacity)
                            lock (exceeded)
                                exceeded.Add($"{node.NodeId} owned {owned} with capacity {node.Capacity}");
                    }
                    catch (HttpRequestException)
                    {
                    }
                }
                await Task.Delay(250);
            }
        });

        Assert.True(await ClusterUnderTest.EventuallyAsync(async () =>
        {
            var listed = await cluster.CamerasAsync(nodes[0]);
            return listed.Count(c => c.NodeId is null && c.State == "unowned") == 6 && listed.Count(c => c.NodeId is not null) == 8
                   && Exposition.Value(await cluster.MetricsAsync(nodes[1]), "surveillance_cluster_cameras_unowned", null) == 6;
        }, TimeSpan.FromSeconds(60)), "8 cameras owned and 6 reported unowned never showed");

        nodes.Add(await cluster.StartNodeAsync(3, capacity: 8));
        Assert.True(await ClusterUnderTest.EventuallyAsync(async () =>
            (await cluster.CamerasAsync(nodes[2])).Count(c => c.NodeId is not null) == 14, TimeSpan.FromSeconds(60)), "the third node did not take the excess");

        var joined = DateTime.UtcNow;
        nodes.Add(await cluster.StartNodeAsync(4, capacity: 8));
        Dictionary<string, int> shares = [];
        var even = await ClusterUnderTest.EventuallyAsync(async () =>
        {
            var listed = await cluster.CamerasAsync(nodes[0]);
            shares = nodes.ToDictionary(n => n.NodeId, n => listed.Count(c => c.NodeId == n.NodeId && c.State == "online"));
            // A fair share is 14 / 4 = 3.5 cameras; within ±20% is 2.8 to 4.2.
            return shares.Values.Sum() == 14 && shares.Values.All(s => s is >= 3 and <= 4);
        }, TimeSpan.FromSeconds(60));
        output.WriteLine($"shares {string.Join(", ", shares.Select(s => $"{s.Key} {s.Value}"))}, {(DateTime.UtcNow - joined).TotalSeconds:0} s after node-4 started");
        await stop.CancelAsync();
        await watch;

        Assert.True(even, $"shares not within ±20% of 3.5 a minute after the fourth node joined: {string.Join(", ", shares)}");
        Assert.Empty(exceeded);
        var released = 0.0;
        foreach (var node in nodes)
            released += Exposition.CounterValue(await cluster.MetricsAsync(node), "surveillance_cluster_ownership_moves_total", "direction=\"released\"");
        // Only what the fourth node took moved (a camera moved twice would count twice).
        Assert.Equal(shares["node-4"], released);

        // SIGTERM drains a node: its cameras move first, then it stops.
        var leaving = nodes[3];
        var itsCameras = (await cluster.OwnViewsAsync([leaving]))[leaving.NodeId].Select(c => c.Id).ToList();
        var drained = DateTime.UtcNow;
        await leaving.Process.StopGracefullyAsync(TimeSpan.FromSeconds(60));
        var rest = nodes.Take(3).ToList();
        Assert.True(await ClusterUnderTest.EventuallyAsync(async () =>
        {
            var views = await cluster.OwnViewsAsync(rest);
            return itsCameras.All(id => views.Values.SelectMany(v => v).Any(c => c.Id == id && c.State == "online" && c.LastFrameAt > drained));
        }, TimeSpan.FromSeconds(30)), "the drained node's cameras did not run on the others");
        Assert.Equal(0, await leaving.Process.WaitForExitAsync(TimeSpan.FromSeconds(1)));
        Assert.All(itsCameras, id => Assert.Contains($"Handed over camera {id}", leaving.Process.Output, StringComparison.Ordinal));
        output.WriteLine($"node-4 drained {itsCameras.Count} camera(s); they ran on the others {(DateTime.UtcNow - drained).TotalSeconds:0} s after SIGTERM at the latest");
    }
}
