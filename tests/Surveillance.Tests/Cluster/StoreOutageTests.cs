using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Cluster;

/// <summary>The cluster's stores restarted under it: no camera stops, no node is declared dead, alerts are late, not lost.</summary>
public sealed class StoreOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PostgreSQL_then_Redis_down_for_30_s_stop_no_camera_declare_no_node_dead_and_lose_no_alert()
    {
        await using var cluster = await ClusterUnderTest.StartAsync();
        await using var rtsp = await RtspServer.StartAsync(await TestVideo.LongVtestH264Async());
        var cameras = cluster.WriteInventory(4, rtsp.Url);
        await using var console = await cluster.DispatchConsoleAsync();
        var nodes = new List<ClusterNode> { await cluster.StartNodeAsync(1, capacity: 4), await cluster.StartNodeAsync(2, capacity: 4) };
        Assert.True(await ClusterUnderTest.EventuallyAsync(async () =>
        {
            var views = await cluster.OwnViewsAsync(nodes);
            return views.Values.All(v => v.Count == 2) && views.Values.SelectMany(v => v).All(c => c.State == "online");
        }, TimeSpan.FromSeconds(90)), "the four cameras never ran two by two");
        var decoders = nodes.ToDictionary(n => n.NodeId, n => n.Decoders.ToHashSet());

        await cluster.Postgres.StopAsync();
        var postgresDown = DateTime.UtcNow;
        await Task.Delay(Outage);
        await cluster.Postgres.StartAgainAsync();
        var postgresUp = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(10));

        await cluster.Redis.StopAsync();
        await Task.Delay(Outage);
        await cluster.Redis.StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(10));

        foreach (var node in nodes)
        {
            Assert.False(node.Process.HasExited, $"{node.NodeId} stopped: {node.Process.Output[^Math.Min(2000, node.Process.Output.Length)..]}");
            Assert.True(decoders[node.NodeId].SetEquals(node.Decoders), $"a camera of {node.NodeId} restarted");
            var metrics = await cluster.MetricsAsync(node);
            Assert.Equal(2, Exposition.Value(metrics, "surveillance_cluster_members", null));
            Assert.Equal(0, Exposition.CounterValue(metrics, "surveillance_cluster_fenced_cameras_total", null));
            Assert.Equal(2, Exposition.Value(metrics, "surveillance_cluster_cameras_owned", null));
        }

        await ClusterUnderTest.StopInTurnAsync(nodes, output.WriteLine);
        var ledger = AlertLedger.Of(console.History);
        var duringOutage = ledger.Alerts.Count(a =>
        {
            var observed = a.GetProperty("observedAt").GetDateTime().ToUniversalTime();
            return observed > postgresDown && observed < postgresUp;
        });
        output.WriteLine($"{ledger.Alerts.Count} alerts, {duringOutage} of them observed while PostgreSQL was down");
        Assert.True(duringOutage > 0, "no alert observed during the PostgreSQL outage arrived");
        Assert.Empty(ledger.Problems());
    }
}
