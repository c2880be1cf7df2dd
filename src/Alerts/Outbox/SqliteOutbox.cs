using System.Text.Json;
using Microsoft.Data.Sqlite;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Alerts.Outbox;

/// <summary>
/// The store behind the outbox: SQLite in WAL mode. A message is written, with the next sequence number
/// of its camera, in one transaction before anyone tries to publish it, and deleted only once the broker
/// has acknowledged it, so neither a broker outage nor a killed engine loses it. WAL with
/// <c>synchronous=NORMAL</c> survives the process being killed; only a power cut can cost the last commits.
/// </summary>
public sealed class SqliteOutbox : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();
    private readonly OutboxOptions _options;

    public SqliteOutbox(OutboxOptions options)
    {
        _options = options;
        var path = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=NORMAL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS messages (
                row_id INTEGER PRIMARY KEY AUTOINCREMENT,
                topic TEXT NOT NULL,
                payload BLOB NOT NULL,
                content_type TEXT NOT NULL,
                retain INTEGER NOT NULL,
                kind TEXT NOT NULL,
                camera_id TEXT,
                summary TEXT NOT NULL,
                user_properties TEXT,
                stored_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS sequences (
                camera_id TEXT PRIMARY KEY,
                last_seq INTEGER NOT NULL);
            """);
        FilePath = path;
    }

    public string FilePath { get; }

    /// <summary>
    /// Stores a message of <paramref name="cameraId"/> with that camera's next sequence number, which
    /// <paramref name="build"/> puts into the payload. Numbers grow by exactly one per message and survive restarts.
    /// </summary>
    /// <returns>The sequence number, and how many of the oldest messages were evicted to stay within the size bound.</returns>
    public (long Seq, int Evicted) Append(string cameraId, Func<long, MqttMessage> build, DateTime now)
    {
        lock (_lock)
        {
            using var transaction = _db.BeginTransaction();
            long seq;
            using (var next = Command("""
                INSERT INTO sequences(camera_id, last_seq) VALUES ($camera, 1)
                ON CONFLICT(camera_id) DO UPDATE SET last_seq = last_seq + 1
                RETURNING last_seq;
                """, transaction))
            {
                next.Parameters.AddWithValue("$camera", cameraId);
                seq = (long)next.ExecuteScalar()!;
            }

            var message = build(seq);
            using (var insert = Command("""
                INSERT INTO messages(topic, payload, content_type, retain, kind, camera_id, summary, user_properties, stored_at)
                VALUES ($topic, $payload, $contentType, $retain, $kind, $camera, $summary, $userProperties, $storedAt);
                """, transaction))
            {
                insert.Parameters.AddWithValue("$topic", message.Topic);
                insert.Parameters.AddWithValue("$payload", message.Payload);
                insert.Parameters.AddWithValue("$contentType", message.ContentType);
                insert.Parameters.AddWithValue("$retain", message.Retain ? 1 : 0);
                insert.Parameters.AddWithValue("$kind", message.Kind);
                insert.Parameters.AddWithValue("$camera", (object?)message.CameraId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$summary", message.Summary);
                insert.Parameters.AddWithValue("$userProperties",
                    message.UserProperties.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(message.UserProperties, OutboxJsonContext.Default.DictionaryStringString));
                insert.Parameters.AddWithValue("$storedAt", now.Ticks);
                insert.ExecuteNonQuery();
            }

            var evicted = 0;
            using (var trim = Command("""
                DELETE FROM messages WHERE row_id IN (
                    SELECT row_id FROM messages ORDER BY row_id
                    LIMIT max(0, (SELECT count(*) FROM messages) - $max));
                """, transaction))
            {
                trim.Parameters.AddWithValue("$max", _options.MaxMessages);
                evicted = trim.ExecuteNonQuery();
            }
            transaction.Commit();
            return (seq, evicted);
        }
    }

    /// <summary>The oldest messages, in the order they were stored.</summary>
    public List<StoredMessage> PeekOldest(int count)
    {
        lock (_lock)
        {
            using var select = Command("""
                SELECT row_id, topic, payload, content_type, retain, kind, camera_id, summary, user_properties, stored_at
                FROM messages ORDER BY row_id LIMIT $count;
                """);
            select.Parameters.AddWithValue("$count", count);
            using var reader = select.ExecuteReader();
            var messages = new List<StoredMessage>();
            while (reader.Read())
            {
                var userProperties = reader.IsDBNull(8)
                    ? new Dictionary<string, string>()
                    : JsonSerializer.Deserialize(reader.GetString(8), OutboxJsonContext.Default.DictionaryStringString)!;
                var message = new MqttMessage(reader.GetString(1), (byte[])reader[2], reader.GetString(3), reader.GetInt64(4) != 0,
                    reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7))
                {
                    UserProperties = userProperties,
                };
                messages.Add(new StoredMessage(reader.GetInt64(0), message, new DateTime(reader.GetInt64(9), DateTimeKind.Utc)));
            }
            return messages;
        }
    }

    /// <summary>Forgets a message the broker has acknowledged.</summary>
    public void Remove(long rowId)
    {
        lock (_lock)
        {
            using var delete = Command("DELETE FROM messages WHERE row_id = $id;");
            delete.Parameters.AddWithValue("$id", rowId);
            delete.ExecuteNonQuery();
        }
    }

    /// <summary>Evicts messages stored before <paramref name="cutoff"/>; returns how many.</summary>
    public int EvictOlderThan(DateTime cutoff)
    {
        lock (_lock)
        {
            using var delete = Command("DELETE FROM messages WHERE stored_at < $cutoff;");
            delete.Parameters.AddWithValue("$cutoff", cutoff.Ticks);
            return delete.ExecuteNonQuery();
        }
    }

    /// <summary>How many messages wait, and when the oldest was stored.</summary>
    public (long Count, DateTime? Oldest) Depth()
    {
        lock (_lock)
        {
            using var select = Command("SELECT count(*), min(stored_at) FROM messages;");
            using var reader = select.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.IsDBNull(1) ? null : new DateTime(reader.GetInt64(1), DateTimeKind.Utc));
        }
    }

    public void Dispose()
    {
        lock (_lock)
            _db.Dispose();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}
