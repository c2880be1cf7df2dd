using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;
using Surveillance.Cluster;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Cluster;

/// <summary>
/// A node's session with a real PostgreSQL as the sign that its process has ended: gone once its session closed and it
/// misses its heartbeats; never while its session is open (a frozen node), and never for a node not seen since the
/// store itself restarted.
/// </summary>
public sealed class NodeSessionTests
{
    private readonly AlertMessages _messages = new(new NoPublisher(), new MqttTopics("surveillance", "test"));

    [Fact]
    public async Task A_node_whose_session_closed_and_that_sends_no_heartbeat_is_gone_and_one_that_only_stopped_heartbeating_is_not()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var store = await StoreAsync(postgres);
        var a = Leases(store, "silo-a", "node-a");
        var b = Leases(store, "silo-b", "node-b");
        await using var sessionA = new NodeSession(store, "silo-a");
        var sessionB = new NodeSession(store, "silo-b");
        Assert.True(await sessionA.EnsureHeldAsync(CancellationToken.None));
        Assert.True(await sessionB.EnsureHeldAsync(CancellationToken.None));
        Assert.True(await sessionB.EnsureHeldAsync(CancellationToken.None)); // held: a ping, not a second lock
        await b.HeartbeatAsync(4, draining: false, CancellationToken.None);

        // Frozen: its session stays open, its heartbeats stop.
        await Task.Delay(CameraLeases.GoneAfter + TimeSpan.FromSeconds(1));
        Assert.False(GoneOf(await a.HeartbeatAsync(4, false, CancellationToken.None), "silo-b"), "a node with its session open was taken for gone");

        // Killed: the session closes with the process (its server process ends a moment later).
        await sessionB.DisposeAsync();
        Assert.True(await EventuallyAsync(async () => GoneOf(await a.HeartbeatAsync(4, false, CancellationToken.None), "silo-b")),
            "a node without session or heartbeat was not gone");
        Assert.False(GoneOf(await a.HeartbeatAsync(4, false, CancellationToken.None), "silo-a"));

        // Back: a new session and a heartbeat.
        await using var again = new NodeSession(store, "silo-b");
        Assert.True(await again.EnsureHeldAsync(CancellationToken.None));
        await b.HeartbeatAsync(4, draining: false, CancellationToken.None);
        Assert.False(GoneOf(await a.HeartbeatAsync(4, false, CancellationToken.None), "silo-b"));
    }

    [Fact]
    public async Task After_the_store_restarts_no_node_is_taken_for_gone_before_it_was_seen_again()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var store = await StoreAsync(postgres);
        var a = Leases(store, "silo-a", "node-a");
        var b = Leases(store, "silo-b", "node-b");
        await using var sessionA = new NodeSession(store, "silo-a");
        await using var sessionB = new NodeSession(store, "silo-b");
        Assert.True(await sessionB.EnsureHeldAsync(CancellationToken.None));
        await b.HeartbeatAsync(4, draining: false, CancellationToken.None);

        // Every session ends with the server; node-b, slower to come back, has neither lock nor a recent heartbeat.
        await postgres.StopAsync();
        await postgres.StartAgainAsync();
        await Task.Delay(CameraLeases.GoneAfter + TimeSpan.FromSeconds(1));
        Assert.True(await AfterRestartAsync(() => sessionA.EnsureHeldAsync(CancellationToken.None)));
        Assert.False(GoneOf(await AfterRestartAsync(() => a.HeartbeatAsync(4, false, CancellationToken.None)), "silo-b"),
            "a node not yet back after the store's restart was taken for gone");

        // Its own session broke with the server: it takes the lock again on a new connection.
        Assert.True(await sessionB.EnsureHeldAsync(CancellationToken.None));
    }

    /// <summary>The pool's connections broke with the server: the first uses fail, as a node's round would, and are tried again.</summary>
    private static async Task<T> AfterRestartAsync<T>(Func<Task<T>> use)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await use();
            }
            catch (Exception e) when (SharedStore.IsUnreachable(e) && attempt < 10)
            {
                await Task.Delay(300);
            }
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(100);
        }
        return true;
    }

    private static bool GoneOf(IReadOnlyList<NodeRecord> nodes, string silo) => Assert.Single(nodes, n => n.Silo == silo).Gone;

    private static async Task<SharedStore> StoreAsync(PostgresServer postgres)
    {
        var store = new SharedStore(new ClusterOptions { Postgres = postgres.ConnectionString, ClusterId = "sessions" });
        await store.CreateSchemaAsync(CancellationToken.None);
        return store;
    }

    private CameraLeases Leases(SharedStore store, string silo, string node) => new(store, silo, node, _messages.ToMessage, TimeProvider.System);

    private sealed class NoPublisher : IMqttPublisher
    {
        public void PublishState(MqttMessage message) { }

        public long AppendDurable(string cameraId, Func<long, MqttMessage> build) => 0;
    }
}
