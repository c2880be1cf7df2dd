using System.Text.Json;
using Npgsql;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;
using Surveillance.Alerts.Outbox;

namespace Surveillance.Cluster;

/// <summary>What <see cref="SharedOutbox.ShipAsync"/> did with a message.</summary>
public enum Shipped
{
    Committed,

    /// <summary>The camera has moved on since the message was made (its epoch is not the camera's): it is dropped.</summary>
    Fenced,
}

/// <summary>A message in the shared outbox, taken for publishing.</summary>
public sealed record SharedMessage(long Id, string CameraId, MqttMessage Message, DateTime StoredAt);

/// <summary>
/// The alerts (and snapshots) of the cluster's cameras between a node's local outbox and the broker. A message is
/// committed only under the epoch its camera was held under when it was made, in one transaction with the camera's
/// <c>seq</c> and its open events, so that a node that lost the camera commits nothing more for it; it is published by
/// the camera's owner (or by any node once the camera has none), in order, and deleted once the broker has it.
/// </summary>
public sealed class SharedOutbox(SharedStore store, string silo)
{
    /// <summary>Commits a message from the local outbox if its camera is still held under the epoch it was made under.</summary>
    public async Task<Shipped> ShipAsync(StoredMessage stored, CancellationToken cancellationToken)
    {
        var message = stored.Message;
        var cameraId = message.CameraId ?? throw new ArgumentException("A message of the shared outbox belongs to a camera", nameof(stored));
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long? epoch = null;
        string? owner = null;
        await using (var current = new NpgsqlCommand("""
            SELECT owner_silo, epoch FROM surveillance_camera WHERE cluster_id = $1 AND camera_id = $2 FOR UPDATE;
            """, connection, transaction) { Parameters = { new() { Value = store.ClusterId }, new() { Value = cameraId } } })
        await using (var reader = await current.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                owner = reader.IsDBNull(0) ? null : reader.GetString(0);
                epoch = reader.GetInt64(1);
            }
        }
        // A camera released by this node keeps its epoch until the next claim: its last ends still commit.
        if (stored.Epoch is null || epoch != stored.Epoch || (owner is not null && owner != silo))
            return Shipped.Fenced;

        await InsertAsync(connection, transaction, store.ClusterId, silo, cameraId, stored.Seq, message, stored.StoredAt, cancellationToken).ConfigureAwait(false);
        if (message.Kind == AlertMessages.Kind && AlertJson.Deserialize(message.Payload) is { } alert)
        {
            await using (var seq = new NpgsqlCommand("""
                UPDATE surveillance_camera SET seq = greatest(seq, $3) WHERE cluster_id = $1 AND camera_id = $2;
                """, connection, transaction) { Parameters = { new() { Value = store.ClusterId }, new() { Value = cameraId }, new() { Value = stored.Seq } } })
                await seq.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            // The event's last word, so that the camera's next owner can end it if this node cannot.
            await using var track = alert.Type == WireNames.Of(Alerts.Events.EventPhase.End)
                ? new NpgsqlCommand("DELETE FROM surveillance_open_event WHERE cluster_id = $1 AND event_id = $2;", connection, transaction)
                {
                    Parameters = { new() { Value = store.ClusterId }, new() { Value = alert.EventId } },
                }
                : new NpgsqlCommand("""
                    INSERT INTO surveillance_open_event (cluster_id, event_id, camera_id, alert) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (cluster_id, event_id) DO UPDATE SET alert = $4;
                    """, connection, transaction)
                {
                    Parameters = { new() { Value = store.ClusterId }, new() { Value = alert.EventId }, new() { Value = cameraId }, new() { Value = message.Payload } },
                };
            await track.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Shipped.Committed;
    }

    /// <summary>
    /// Publishes, oldest first, the messages of the cameras this node owns and of those no live node owns, each deleted
    /// once <paramref name="publish"/> has delivered it; stops at the first that could not be. Rows stay locked while
    /// they are published, so two nodes never publish one camera's messages out of order.
    /// </summary>
    /// <returns>How many were published.</returns>
    public async Task<int> PublishAsync(IReadOnlyCollection<string> active, Func<SharedMessage, Task<bool>> publish, int batch,
        CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var taken = new List<SharedMessage>();
        await using (var select = new NpgsqlCommand("""
            SELECT o.id, o.camera_id, o.topic, o.payload, o.content_type, o.retain, o.kind, o.summary, o.user_properties, o.stored_at
            FROM surveillance_outbox o
            LEFT JOIN surveillance_camera c ON c.cluster_id = o.cluster_id AND c.camera_id = o.camera_id
            WHERE o.cluster_id = $1 AND (c.owner_silo IS NULL OR c.owner_silo = $2 OR NOT (c.owner_silo = ANY($3)))
            ORDER BY o.id LIMIT $4
            FOR UPDATE OF o;
            """, connection, transaction)
        {
            Parameters = { new() { Value = store.ClusterId }, new() { Value = silo }, new() { Value = active.ToArray() }, new() { Value = batch } },
        })
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var userProperties = reader.IsDBNull(8)
                    ? new Dictionary<string, string>()
                    : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(8)) ?? [];
                var message = new MqttMessage(reader.GetString(2), (byte[])reader[3], reader.GetString(4), reader.GetBoolean(5), reader.GetString(6),
                    reader.GetString(1), reader.GetString(7)) { UserProperties = userProperties };
                taken.Add(new SharedMessage(reader.GetInt64(0), reader.GetString(1), message, DateTime.SpecifyKind(reader.GetDateTime(9), DateTimeKind.Utc)));
            }
        }
        var published = new List<long>();
        foreach (var message in taken)
        {
            if (!await publish(message).ConfigureAwait(false))
                break;
            published.Add(message.Id);
        }
        if (published.Count > 0)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM surveillance_outbox WHERE id = ANY($1);", connection, transaction)
            {
                Parameters = { new() { Value = published.ToArray() } },
            };
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return published.Count;
    }

    /// <summary>How many messages wait in the shared outbox for the cluster, and the age of the oldest.</summary>
    public async Task<(long Count, DateTime? Oldest)> DepthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand("SELECT count(*), min(stored_at) FROM surveillance_outbox WHERE cluster_id = $1;", connection)
        {
            Parameters = { new() { Value = store.ClusterId } },
        };
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
    }

    internal static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string clusterId, string silo, string cameraId,
        long seq, MqttMessage message, DateTime storedAt, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO surveillance_outbox (cluster_id, camera_id, kind, seq, topic, payload, content_type, retain, summary, user_properties, stored_at, shipped_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = clusterId }, new() { Value = cameraId }, new() { Value = message.Kind }, new() { Value = seq },
                new() { Value = message.Topic }, new() { Value = message.Payload }, new() { Value = message.ContentType }, new() { Value = message.Retain },
                new() { Value = message.Summary },
                new() { Value = message.UserProperties.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(message.UserProperties) },
                new() { Value = DateTime.SpecifyKind(storedAt, DateTimeKind.Utc) },
                new() { Value = silo },
            },
        };
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
