using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Cluster;

/// <summary>
/// Three real nodes over twelve RTSP cameras, with real Redis, PostgreSQL, mosquitto and gst-rtsp-server: nodes are
/// killed (SIGKILL) and frozen (SIGSTOP) for real, and a dispatch console with a persistent session checks every alert.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan KilledWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FrozenWithin = TimeSpan.FromSeconds(20);

    /// <summary>Kills per run; more for a measurement (SURVEILLANCE_CLUSTER_KILLS=20 gives the largest of 20 kills).</summary>
    private static int Kills => int.TryParse(Environment.GetEnvironmentVariable("SURVEILLANCE_CLUSTER_KILLS"), out var kills) && kills > 0 ? kills : 2;

    [Fact]
    public async Task Cameras_of_a_killed_or_frozen_node_move_within_seconds_and_every_alert_arrives_once_in_order()
    {
        await using var cluster = await ClusterUnderTest.StartAsync();
        await using var rtsp = await RtspServer.StartAsync(await TestVideo.LongVtestH264Async());
        var cameras = cluster.WriteInventory(12, rtsp.Url);
        await using var console = await cluster.DispatchConsoleAsync();
        var nodes = new List<ClusterNode>();
        for (var i = 1; i <= 3; i++)
            nodes.Add(await cluster.StartNodeAsync(i, capacity: 6));
        Assert.True(await AllRunAsync(cluster, nodes, cameras, TimeSpan.FromSeconds(90)), "the 12 cameras never all ran");

        var next = 4;
        var worst = TimeSpan.Zero;
        var foundBySession = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            var victim = nodes[kill % nodes.Count];
            var (took, bySession) = await FailOverAsync(cluster, nodes, victim, cameras, freeze: false);
            worst = took > worst ? took : worst;
            foundBySession += bySession ? 1 : 0;
            nodes.Remove(victim);
            nodes.Add(await cluster.StartNodeAsync(next++, capacity: 6));
            Assert.True(await AllRunAsync(cluster, nodes, cameras, TimeSpan.FromSeconds(60)), "the cameras did not all run again after a node joined");
        }
        output.WriteLine($"largest time from SIGKILL to frames on a survivor, of {Kills} kills: {worst.TotalSeconds:0.0} s; {foundBySession} found gone by their closed session");
        // Now and then the cluster's vote comes first (once seen: four cameras moved within 3.8 s and no survivor had
        // logged the closed session), so one kill may be found by the vote alone; a broken session check finds none.
        Assert.True(foundBySession > 0, $"no survivor saw the session of any of the {Kills} killed nodes close");

        var frozen = nodes[0];
        var frozenAt = DateTime.UtcNow;
        var (tookFrozen, _) = await FailOverAsync(cluster, nodes, frozen, cameras, freeze: true);
        output.WriteLine($"SIGSTOP to frames on a survivor: {tookFrozen.TotalSeconds:0.0} s");
        await frozen.Process.SignalAsync("CONT");
        // Declared dead while it slept, it stands down by itself.
        var exit = await frozen.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4, exit);
        Assert.Contains("The cluster stopped this node", frozen.Process.Output, StringComparison.Ordinal);
        nodes.Remove(frozen);

        await ClusterUnderTest.StopInTurnAsync(nodes, output.WriteLine);

        var ledger = AlertLedger.Of(console.History);
        output.WriteLine($"{ledger.Alerts.Count} alerts: {ledger.Count("new")} new, {ledger.Count("end")} end, {ledger.EndedWith("handover")} ended by handover, {ledger.Redelivered} delivered again under the same id");
        Assert.True(ledger.Count("new") > 20, $"too few alerts to judge ({ledger.Count("new")} new)");
        Assert.True(ledger.EndedWith("handover") > 0, "no event was ended by a new owner");
        Assert.Empty(ledger.Problems());
        var fromFrozen = ledger.Alerts.Where(a => a.GetProperty("nodeId").GetString() == frozen.NodeId
                                                  && a.GetProperty("observedAt").GetDateTime().ToUniversalTime() > frozenAt.AddSeconds(1)).ToList();
        Assert.True(fromFrozen.Count == 0, $"the frozen node published {fromFrozen.Count} alert(s) observed after it was frozen");
    }

    /// <summary>
    /// Kills or freezes <paramref name="victim"/> and measures how long until every one of its cameras gives frames on
    /// a survivor; checks that no survivor's decoder restarted and that the victim's decoders are gone. Says whether a
    /// survivor found the victim gone by its closed session with the store (a frozen one must never be).
    /// </summary>
    private async Task<(TimeSpan Took, bool BySession)> FailOverAsync(ClusterUnderTest cluster, List<ClusterNode> nodes, ClusterNode victim, IReadOnlyList<string> cameras,
        bool freeze)
    {
        var survivors = nodes.Where(n => n != victim).ToList();
        var before = await cluster.OwnViewsAsync(nodes);
        var moving = before[victim.NodeId].Select(c => c.Id).ToHashSet();
        Assert.NotEmpty(moving);
        var victimDecoders = victim.Decoders;
        var survivorDecoders = survivors.ToDictionary(n => n.NodeId, n => n.Decoders.ToHashSet());
        var goneBefore = survivors.Sum(n => GoneLines(n, victim));

        var at = DateTime.UtcNow;
        await victim.Process.SignalAsync(freeze ? "STOP" : "KILL");
        var moved = new Dictionary<string, TimeSpan>();
        var deadline = at + (freeze ? FrozenWithin : KilledWithin) + TimeSpan.FromSeconds(20);
        while (moved.Count < moving.Count && DateTime.UtcNow < deadline)
        {
            var views = await cluster.OwnViewsAsync(survivors);
            foreach (var camera in views.Values.SelectMany(v => v))
            {
                if (moving.Contains(camera.Id) && !moved.ContainsKey(camera.Id) && camera.LastFrameAt > at)
                    moved[camera.Id] = DateTime.UtcNow - at;
            }
            await Task.Delay(200);
        }
        var took = moved.Count == 0 ? TimeSpan.MaxValue : moved.Values.Max();
        output.WriteLine($"{(freeze ? "froze" : "killed")} {victim.NodeId} with {moving.Count} camera(s): " +
                         string.Join(", ", moved.OrderBy(m => m.Key).Select(m => $"{m.Key} {m.Value.TotalSeconds:0.0} s")));
        if (moved.Count < moving.Count)
        {
            foreach (var node in nodes)
                output.WriteLine($"--- {node.NodeId}:\n" + string.Join("\n", node.Process.Output.Split('\n')
                    .Where(l => l.Contains("CameraOwnership", StringComparison.Ordinal) || l.Contains("CameraDirectory", StringComparison.Ordinal) || l.Contains("streaming", StringComparison.Ordinal)).TakeLast(40)));
        }
        Assert.Equal(moving.Count, moved.Count);
        Assert.True(took <= (freeze ? FrozenWithin : KilledWithin), $"the last camera took {took.TotalSeconds:0.0} s");

        // A killed process's session with the store closed, which moves its cameras before the vote; a frozen one keeps it.
        var goneSaid = survivors.Sum(n => GoneLines(n, victim)) - goneBefore;
        if (freeze)
            Assert.True(goneSaid == 0, $"a survivor took the frozen {victim.NodeId} for gone, though its session was open");
        else if (goneSaid == 0)
            output.WriteLine($"no survivor saw the session of the killed {victim.NodeId} close before the cluster voted it dead");

        if (!freeze)
        {
            // Orphaned, they see their pipe close and exit.
            var left = victimDecoders.ToList();
            for (var i = 0; i < 25 && left.Any(ProcessExists); i++)
                await Task.Delay(200);
            Assert.DoesNotContain(victimDecoders, ProcessExists);
        }
        foreach (var survivor in survivors)
        {
            var kept = survivorDecoders[survivor.NodeId];
            Assert.True(kept.IsSubsetOf(survivor.Decoders.ToHashSet()), $"a decoder of {survivor.NodeId} restarted when {victim.NodeId} went");
        }
        return (took, goneSaid > 0);
    }

    private static int GoneLines(ClusterNode survivor, ClusterNode victim) =>
        survivor.Process.Output.Split('\n').Count(l => l.Contains($"Node {victim.NodeId} (silo ", StringComparison.Ordinal) && l.Contains("has gone", StringComparison.Ordinal));

    private static async Task<bool> AllRunAsync(ClusterUnderTest cluster, List<ClusterNode> nodes, IReadOnlyList<string> cameras, TimeSpan timeout) =>
        await ClusterUnderTest.EventuallyAsync(async () =>
        {
            var views = await cluster.OwnViewsAsync(nodes);
            var running = views.Values.SelectMany(v => v).Where(c => c.State == "online").Select(c => c.Id).ToList();
            return running.Count == cameras.Count && running.ToHashSet().SetEquals(cameras) && views.Values.All(v => v.Count > 0);
        }, timeout);

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");
}
