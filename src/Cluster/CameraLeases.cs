using Npgsql;
using NpgsqlTypes;
using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Cluster;

/// <summary>A camera's row in the shared store: its owner (silo and node id), epoch, last <c>seq</c> and last reported state.</summary>
public sealed record CameraLease(string CameraId, string? OwnerSilo, string? OwnerNode, long Epoch, long Seq, string State, string Grade, double Fps,
    DateTime? LastFrameAt);

/// <summary>A node's row: its capacity and whether it is leaving.</summary>
/// <param name="Gone">
/// Its process has ended: its <see cref="NodeSession"/> lock is free and it has not been seen for a while, though it
/// was seen holding it since the store last started (after a restart of the store no node is judged until it is back).
/// </param>
public sealed record NodeRecord(string Silo, string NodeId, int Capacity, bool Draining, bool Gone = false);

/// <summary>What a node got by claiming a camera: the new epoch, the last <c>seq</c> to go on from, and what it took over.</summary>
public sealed record CameraClaim(string CameraId, long Epoch, long Seq, string? PreviousNode, int EventsHandedOver);

/// <summary>A running camera's state as its owner reports it.</summary>
public sealed record CameraReport(string CameraId, long Epoch, string State, string Grade, double Fps, DateTime? LastFrameAt);

/// <summary>
/// Camera ownership in the shared store. A claim raises the camera's epoch, which fences every message its previous
/// owner made and has not yet committed; it succeeds only when the camera has no live owner. In the same transaction
/// the claimant ends the events the previous owner left open (<c>handover</c>), numbering them after its last <c>seq</c>.
/// </summary>
public sealed class CameraLeases(SharedStore store, string silo, string nodeId, Func<Alert, MqttMessage> toMessage, TimeProvider time)
{
    /// <summary>
    /// How long a node whose session lock is free must also have missed its heartbeat (one a second) to be taken for
    /// gone: a node that lost its session but runs (the store's connection broke) takes the lock again at its next round.
    /// </summary>
    public static readonly TimeSpan GoneAfter = TimeSpan.FromSeconds(2);

    public string Silo => silo;

    public async Task<IReadOnlyList<CameraLease>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand("""
            SELECT camera_id, owner_silo, owner_node, epoch, seq, state, grade, fps, last_frame_at
            FROM surveillance_camera WHERE cluster_id = $1;
            """, connection) { Parameters = { new() { Value = store.ClusterId } } };
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var leases = new List<CameraLease>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new CameraLease(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt64(3), reader.GetInt64(4), reader.GetString(5), reader.GetString(6), reader.GetDouble(7),
                reader.IsDBNull(8) ? null : DateTime.SpecifyKind(reader.GetDateTime(8), DateTimeKind.Utc)));
        }
        return leases;
    }

    /// <summary>Says this node is here (or leaving), with its capacity, and reads every node's row.</summary>
    public async Task<IReadOnlyList<NodeRecord>> HeartbeatAsync(int capacity, bool draining, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO surveillance_node (cluster_id, silo, node_id, capacity, draining, seen_at) VALUES ($1, $2, $3, $4, $5, now())
            ON CONFLICT (cluster_id, silo) DO UPDATE SET capacity = $4, draining = $5, seen_at = now();
            """, connection)
        {
            Parameters = { new() { Value = store.ClusterId }, new() { Value = silo }, new() { Value = nodeId }, new() { Value = capacity }, new() { Value = draining } },
        })
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // pg_locks shows a two-key advisory lock as classid (first key), objid (second), objsubid 2, as unsigned oids.
        await using var select = new NpgsqlCommand("""
            SELECT n.silo, n.node_id, n.capacity, n.draining,
                   n.seen_at > pg_postmaster_start_time() AND n.seen_at < now() - $2
                   AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                                   AND l.classid = hashtext(n.cluster_id)::oid AND l.objid = hashtext(n.silo)::oid)
              FROM surveillance_node n WHERE n.cluster_id = $1;
            """, connection)
        {
            Parameters = { new() { Value = store.ClusterId }, new() { Value = GoneAfter } },
        };
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<NodeRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            nodes.Add(new NodeRecord(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetBoolean(3), reader.GetBoolean(4)));
        return nodes;
    }

    /// <summary>Forgets the rows of nodes that are no longer members (older than a day), so the table does not grow with restarts.</summary>
    public async Task ForgetNodesAsync(IReadOnlyCollection<string> active, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = new NpgsqlCommand("""
            DELETE FROM surveillance_node WHERE cluster_id = $1 AND NOT (silo = ANY($2)) AND seen_at < now() - interval '1 day';
            """, connection) { Parameters = { new() { Value = store.ClusterId }, new() { Value = active.ToArray() } } };
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the camera if it has no live owner (none, or one not in <paramref name="active"/>); null when another live
    /// node holds it.
    /// </summary>
    public Task<CameraClaim?> ClaimAsync(string cameraId, IReadOnlyCollection<string> active, CancellationToken cancellationToken) =>
        TakeAsync(cameraId, active, forThisNode: true, cancellationToken);

    /// <summary>
    /// Takes the camera away from an owner that is no longer a member (declared dead), for no node: its epoch moves on,
    /// so that the dead node, should it still run, commits nothing more for it; its open events end. Null when the camera
    /// has a live owner or none.
    /// </summary>
    public Task<CameraClaim?> RevokeAsync(string cameraId, IReadOnlyCollection<string> active, CancellationToken cancellationToken) =>
        TakeAsync(cameraId, active, forThisNode: false, cancellationToken);

    private async Task<CameraClaim?> TakeAsync(string cameraId, IReadOnlyCollection<string> active, bool forThisNode, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var ensure = new NpgsqlCommand("""
            INSERT INTO surveillance_camera (cluster_id, camera_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;
            """, connection, transaction) { Parameters = { new() { Value = store.ClusterId }, new() { Value = cameraId } } })
            await ensure.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        string? owner, previousNode;
        long epoch, seq;
        await using (var current = new NpgsqlCommand("""
            SELECT owner_silo, owner_node, epoch, seq FROM surveillance_camera WHERE cluster_id = $1 AND camera_id = $2 FOR UPDATE;
            """, connection, transaction) { Parameters = { new() { Value = store.ClusterId }, new() { Value = cameraId } } })
        await using (var reader = await current.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            owner = reader.IsDBNull(0) ? null : reader.GetString(0);
            previousNode = reader.IsDBNull(1) ? null : reader.GetString(1);
            epoch = reader.GetInt64(2);
            seq = reader.GetInt64(3);
        }
        if (owner is not null && owner != silo && active.Contains(owner))
            return null;
        if (!forThisNode && owner is null)
            return null;
        epoch++;

        var open = new List<(string EventId, byte[] Alert)>();
        await using (var events = new NpgsqlCommand("""
            SELECT event_id, alert FROM surveillance_open_event WHERE cluster_id = $1 AND camera_id = $2 ORDER BY event_id;
            """, connection, transaction) { Parameters = { new() { Value = store.ClusterId }, new() { Value = cameraId } } })
        await using (var reader = await events.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                open.Add((reader.GetString(0), (byte[])reader[1]));
        }
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (_, json) in open)
        {
            if (AlertJson.Deserialize(json) is not { } last)
                continue;
            var end = last with
            {
                Id = Guid.CreateVersion7().ToString(),
                Type = WireNames.Of(EventPhase.End),
                EndedAt = last.ObservedAt,
                EndReason = WireNames.Of(EventEndReason.Handover),
                // The frame it promised went with the node that had it.
                HasSnapshot = false,
                ObservedAt = now,
                NodeId = nodeId,
                Seq = ++seq,
            };
            await SharedOutbox.InsertAsync(connection, transaction, store.ClusterId, silo, cameraId, end.Seq, toMessage(end), now, cancellationToken)
                .ConfigureAwait(false);
        }
        await using (var forget = new NpgsqlCommand("""
            DELETE FROM surveillance_open_event WHERE cluster_id = $1 AND camera_id = $2;
            """, connection, transaction) { Parameters = { new() { Value = store.ClusterId }, new() { Value = cameraId } } })
            await forget.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand("""
            UPDATE surveillance_camera SET owner_silo = $3, owner_node = $4, epoch = $5, seq = $6, state = $7, grade = 'none', fps = 0, moved_at = now()
            WHERE cluster_id = $1 AND camera_id = $2;
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = store.ClusterId }, new() { Value = cameraId },
                new() { Value = forThisNode ? silo : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = forThisNode ? nodeId : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = epoch }, new() { Value = seq }, new() { Value = forThisNode ? "starting" : "unowned" },
            },
        })
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CameraClaim(cameraId, epoch, seq, owner is null ? null : previousNode, open.Count);
    }

    /// <summary>Lets a camera go (its messages are in the store); false when it had already moved on.</summary>
    public async Task<bool> ReleaseAsync(string cameraId, long epoch, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var release = new NpgsqlCommand("""
            UPDATE surveillance_camera SET owner_silo = NULL, owner_node = NULL, state = 'unowned', grade = 'none', fps = 0
            WHERE cluster_id = $1 AND camera_id = $2 AND owner_silo = $3 AND epoch = $4;
            """, connection)
        {
            Parameters = { new() { Value = store.ClusterId }, new() { Value = cameraId }, new() { Value = silo }, new() { Value = epoch } },
        };
        return await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Writes the state of the cameras this node runs, for <c>GET /api/cameras</c> on every node; only under the epoch it holds.</summary>
    public async Task ReportAsync(IReadOnlyList<CameraReport> reports, CancellationToken cancellationToken)
    {
        if (reports.Count == 0)
            return;
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = new NpgsqlCommand("""
            UPDATE surveillance_camera c SET state = r.state, grade = r.grade, fps = r.fps, last_frame_at = r.last_frame_at
            FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::float8[], $8::timestamptz[]) AS r(camera_id, epoch, state, grade, fps, last_frame_at)
            WHERE c.cluster_id = $1 AND c.camera_id = r.camera_id AND c.epoch = r.epoch AND c.owner_silo = $2;
            """, connection)
        {
            Parameters =
            {
                new() { Value = store.ClusterId },
                new() { Value = silo },
                new() { Value = reports.Select(r => r.CameraId).ToArray() },
                new() { Value = reports.Select(r => r.Epoch).ToArray() },
                new() { Value = reports.Select(r => r.State).ToArray() },
                new() { Value = reports.Select(r => r.Grade).ToArray() },
                new() { Value = reports.Select(r => r.Fps).ToArray() },
                new() { Value = reports.Select(r => r.LastFrameAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
            },
        };
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
