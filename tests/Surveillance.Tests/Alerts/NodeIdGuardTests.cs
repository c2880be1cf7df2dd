using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Tests.Alerts;

/// <summary>How an engine tells a live holder of its node id from what a dead one left on the broker.</summary>
public sealed class NodeIdGuardTests
{
    private static readonly TimeSpan LiveWait = TimeSpan.FromSeconds(2);

    private readonly NodeInstance _self = new(TimeProvider.System);

    private NodeIdGuard Guard() => new(_self, TimeProvider.System, LiveWait);

    private NodeAvailability Other(string state, TimeSpan startedBeforeUs, string instance = "other000000a") =>
        new("edge-1", state) { InstanceId = instance, StartedAt = _self.StartedAt - startedBeforeUs };

    [Fact]
    public async Task With_nothing_retained_the_claim_succeeds_without_waiting_for_a_heartbeat()
    {
        var claim = Guard().ClaimAsync("edge-1", (_, _) => Assert.Fail("no holder to wait for"), CancellationToken.None);
        await claim.WaitAsync(TimeSpan.FromSeconds(1.8)); // the retained message's second, not the live wait's two
    }

    [Fact]
    public async Task A_retained_online_whose_engine_never_speaks_again_is_stale_and_the_claim_succeeds_after_the_live_wait()
    {
        var guard = Guard();
        NodeAvailability? waitedFor = null;
        guard.Observe(Other("online", TimeSpan.FromMinutes(5)), retained: true);
        var started = DateTime.UtcNow;
        await guard.ClaimAsync("edge-1", (holder, _) => waitedFor = holder, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("other000000a", waitedFor?.InstanceId);
        Assert.True(DateTime.UtcNow - started >= LiveWait - TimeSpan.FromMilliseconds(100));
        Assert.False(guard.Conflict.IsCompleted);
    }

    [Fact]
    public async Task A_retained_online_followed_by_a_live_heartbeat_of_the_same_engine_refuses_the_claim()
    {
        var guard = Guard();
        guard.Observe(Other("online", TimeSpan.FromMinutes(5)), retained: true);
        var claim = guard.ClaimAsync("edge-1", (_, _) => { }, CancellationToken.None);
        guard.Observe(Other("online", TimeSpan.FromMinutes(5)), retained: false);
        var refused = await Assert.ThrowsAsync<NodeIdInUseException>(() => claim.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("Node:Id: 'edge-1' is already in use by a running engine (instance other000000a", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retained_online_whose_last_will_then_arrives_lets_the_claim_succeed_at_once()
    {
        var guard = Guard();
        guard.Observe(Other("online", TimeSpan.FromMinutes(5)), retained: true);
        var claim = guard.ClaimAsync("edge-1", (_, _) => { }, CancellationToken.None);
        await Task.Delay(1200);
        guard.Observe(Other("offline", TimeSpan.FromMinutes(5)), retained: false);
        await claim.WaitAsync(TimeSpan.FromSeconds(0.5));
    }

    [Fact]
    public async Task While_running_only_an_engine_started_earlier_makes_this_one_give_way_and_its_own_messages_never_do()
    {
        var guard = Guard();
        guard.Observe(new NodeAvailability("edge-1", "online") { InstanceId = _self.Id, StartedAt = _self.StartedAt }, retained: false);
        guard.Observe(Other("online", TimeSpan.FromSeconds(-30), "later0000000"), retained: false);
        Assert.False(guard.Conflict.IsCompleted);

        guard.Observe(Other("online", TimeSpan.FromSeconds(30)), retained: false);
        Assert.True(guard.Conflict.IsCompletedSuccessfully);
        Assert.Equal("other000000a", (await guard.Conflict).InstanceId);
    }
}
