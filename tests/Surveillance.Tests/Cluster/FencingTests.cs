using System.Diagnostics;
using System.Text.Json;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;
using Surveillance.Alerts.Outbox;
using Surveillance.Cluster;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Cluster;

/// <summary>
/// Ownership epochs in a real PostgreSQL: what a node made under an epoch the camera has left is refused where it would
/// be committed, the next owner ends what was left open, and the camera's <c>seq</c> goes on across owners.
/// </summary>
public sealed class FencingTests
{
    private const string Camera = "cam-fenced";
    private readonly AlertMessages _messages = new(new NoPublisher(), new MqttTopics("surveillance", "test"));

    private static async Task<SharedStore> StoreAsync(PostgresServer postgres)
    {
        var store = new SharedStore(new ClusterOptions { Postgres = postgres.ConnectionString, ClusterId = "fencing" });
        await store.CreateSchemaAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task A_node_starting_beside_running_ones_does_not_wait_for_their_transactions_to_check_the_tables()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var store = await StoreAsync(postgres);
        // A running node in the middle of a commit: its transaction holds the outbox table (a row lock on insert).
        await using var running = await store.OpenAsync(CancellationToken.None);
        await using var commit = await running.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand("""
            INSERT INTO surveillance_outbox (cluster_id, camera_id, kind, seq, topic, payload, content_type, retain, summary, stored_at, shipped_by)
            VALUES ('fencing', 'cam', 'alert', 1, 't', ''::bytea, 'application/json', false, 's', now(), 'silo-a');
            """, running, commit))
            await insert.ExecuteNonQueryAsync();

        // Before the fix it took a share lock on that table (CREATE INDEX IF NOT EXISTS) and waited for the commit.
        var starting = Stopwatch.StartNew();
        await using var second = new SharedStore(new ClusterOptions { Postgres = postgres.ConnectionString, ClusterId = "fencing" });
        await second.CreateSchemaAsync(new CancellationTokenSource(TimeSpan.FromSeconds(3)).Token);
        Assert.True(starting.Elapsed < TimeSpan.FromSeconds(3), $"took {starting.Elapsed.TotalSeconds:0.0} s");
        await commit.RollbackAsync();
    }

    [Fact]
    public async Task A_transaction_left_open_by_a_frozen_node_is_ended_by_the_server_and_its_camera_can_be_taken()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var store = await StoreAsync(postgres);
        var a = Leases(store, "silo-a", "node-a");
        var b = Leases(store, "silo-b", "node-b");
        Assert.NotNull(await b.ClaimAsync(Camera, ["silo-b"], CancellationToken.None));

        // node-b frozen in the middle of a commit for its camera (as SharedOutbox.ShipAsync holds it): its connection
        // stays open, its transaction idle, the camera's row locked.
        await using var frozen = await store.OpenAsync(CancellationToken.None);
        await using var commit = await frozen.BeginTransactionAsync();
        await using (var hold = new Npgsql.NpgsqlCommand("SELECT epoch FROM surveillance_camera WHERE cluster_id = $1 AND camera_id = $2 FOR UPDATE;", frozen, commit)
                     { Parameters = { new() { Value = store.ClusterId }, new() { Value = Camera } } })
            await hold.ExecuteScalarAsync();

        // The cluster has declared node-b dead; node-a takes its camera, retrying as its ownership round does.
        var taking = Stopwatch.StartNew();
        CameraClaim? claim = null;
        var failures = 0;
        while (claim is null && taking.Elapsed < SharedStore.AbandonedTransactionTimeout + TimeSpan.FromSeconds(15))
        {
            try
            {
                claim = await a.ClaimAsync(Camera, ["silo-a"], CancellationToken.None);
            }
            catch (Exception e) when (SharedStore.IsUnreachable(e))
            {
                failures++;
            }
        }
        Assert.True(claim is not null, $"node-a could not take the camera in {taking.Elapsed.TotalSeconds:0} s ({failures} claims timed out on the frozen node's lock)");
        Assert.True(taking.Elapsed < SharedStore.AbandonedTransactionTimeout + TimeSpan.FromSeconds(6), $"took {taking.Elapsed.TotalSeconds:0.0} s");
        // The frozen node, woken, finds its transaction gone: nothing it held commits.
        await Assert.ThrowsAnyAsync<Exception>(() => commit.CommitAsync());
    }

    [Fact]
    public async Task A_node_that_lost_its_camera_commits_nothing_more_and_the_new_owner_ends_its_open_event_after_its_last_seq()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var store = await StoreAsync(postgres);
        var a = Leases(store, "silo-a", "node-a");
        var b = Leases(store, "silo-b", "node-b");
        var outboxA = new SharedOutbox(store, "silo-a");
        var outboxB = new SharedOutbox(store, "silo-b");

        var claimA = await a.ClaimAsync(Camera, ["silo-a"], CancellationToken.None);
        Assert.NotNull(claimA);
        Assert.Null(await b.ClaimAsync(Camera, ["silo-a", "silo-b"], CancellationToken.None)); // a live owner keeps it
        Assert.Equal(Shipped.Committed, await outboxA.ShipAsync(Stored(1, "new", "event-1", claimA.Epoch), CancellationToken.None));
        Assert.Equal(Shipped.Committed, await outboxA.ShipAsync(Stored(2, "update", "event-1", claimA.Epoch), CancellationToken.None));

        // node-a is declared dead while it still runs: node-b takes the camera.
        var claimB = await b.ClaimAsync(Camera, ["silo-b"], CancellationToken.None);
        Assert.NotNull(claimB);
        Assert.True(claimB.Epoch > claimA.Epoch);
        Assert.Equal(3, claimB.Seq);
        Assert.Equal(1, claimB.EventsHandedOver);

        Assert.Equal(Shipped.Fenced, await outboxA.ShipAsync(Stored(3, "end", "event-1", claimA.Epoch), CancellationToken.None));
        Assert.False(await a.ReleaseAsync(Camera, claimA.Epoch, CancellationToken.None));
        Assert.Equal(Shipped.Committed, await outboxB.ShipAsync(Stored(4, "new", "event-2", claimB.Epoch, "node-b"), CancellationToken.None));

        var published = new List<Alert>();
        await outboxB.PublishAsync(["silo-b"], m =>
        {
            published.Add(AlertJson.Deserialize(m.Message.Payload)!);
            return Task.FromResult(true);
        }, 100, CancellationToken.None);
        Assert.Equal([1L, 2, 3, 4], published.Select(p => p.Seq));
        Assert.Equal(["node-a", "node-a", "node-b", "node-b"], published.Select(p => p.NodeId));
        var handover = published[2];
        Assert.Equal(("end", "event-1", "handover"), (handover.Type, handover.EventId, handover.EndReason));
        Assert.Equal(0, (await outboxB.DepthAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_camera_of_a_dead_node_is_revoked_even_when_no_node_has_room_for_it()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var store = await StoreAsync(postgres);
        var a = Leases(store, "silo-a", "node-a");
        var b = Leases(store, "silo-b", "node-b");
        var claimA = await a.ClaimAsync(Camera, ["silo-a"], CancellationToken.None);

        Assert.Null(await b.RevokeAsync(Camera, ["silo-a", "silo-b"], CancellationToken.None));
        var revoked = await b.RevokeAsync(Camera, ["silo-b"], CancellationToken.None);

        Assert.NotNull(revoked);
        Assert.Equal(Shipped.Fenced, await new SharedOutbox(store, "silo-a").ShipAsync(Stored(1, "new", "event-1", claimA!.Epoch), CancellationToken.None));
        var lease = (await b.ReadAsync(CancellationToken.None)).Single(l => l.CameraId == Camera);
        Assert.Null(lease.OwnerSilo);
        Assert.Equal("unowned", lease.State);
    }

    private CameraLeases Leases(SharedStore store, string silo, string node) => new(store, silo, node, _messages.ToMessage, TimeProvider.System);

    private StoredMessage Stored(long seq, string type, string eventId, long epoch, string node = "node-a")
    {
        var alert = new Alert
        {
            Id = Guid.CreateVersion7().ToString(), Type = type, EventId = eventId, Rule = "any", RuleType = "any", Severity = "info", TrackId = 1,
            Zones = [], Count = 1, StartedAt = DateTime.UtcNow, EndedAt = type == "end" ? DateTime.UtcNow : null, EndReason = type == "end" ? "lost" : null,
            TopScore = 0.9, HasSnapshot = false, CameraId = Camera, CameraKind = "fixed", GridId = "grid-001", Label = "person", Score = 0.9,
            Box = new AlertBox(1, 2, 3, 4, 640, 480), Location = null, ObservedAt = DateTime.UtcNow, NodeId = node, Seq = seq,
        };
        return new StoredMessage(seq, _messages.ToMessage(alert), DateTime.UtcNow) { Seq = seq, Epoch = epoch };
    }

    private sealed class NoPublisher : IMqttPublisher
    {
        public void PublishState(MqttMessage message) => throw new NotSupportedException();

        public long AppendDurable(string cameraId, Func<long, MqttMessage> build) => throw new NotSupportedException();
    }
}
