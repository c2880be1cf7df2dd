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
/// <remarks>
/// The outbox grows exactly while the broker is away, so nothing here may cost more as it grows: the count and
/// the bytes stored are read once at open and then kept in memory, changed only once a transaction that changes
/// them has committed; eviction by age goes through an index on <c>stored_at</c> and stops at the first young
/// row; eviction by count or bytes takes the oldest rows by <c>row_id</c>, as many as the counters say.
/// </remarks>
public sealed class SqliteOutbox : IDisposable
{
    /// <summary>What a row counts against <see cref="OutboxOptions.MaxBytes"/>; <c>length()</c> of a BLOB reads no overflow page.</summary>
    private const string StoredBytesOfRow =
        "length(payload) + length(CAST(topic AS BLOB)) + length(CAST(summary AS BLOB)) + coalesce(length(CAST(user_properties AS BLOB)), 0)";

    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();
    private readonly OutboxOptions _options;
    // Prepared once: every message passes through these, and compiling them on each call made a drain 2.5 times as slow.
    private readonly SqliteCommand _nextSeq;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _remove;
    private readonly SqliteCommand _peek;
    private long _count;
    private long _bytes;
    private bool _disposed;

    public SqliteOutbox(OutboxOptions options)
    {
        _options = options;
        _db = SqliteFile.Open(options.Path);
        try
        {
            // IF NOT EXISTS throughout: a file written by an earlier version, without the index, gets it here.
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
                CREATE INDEX IF NOT EXISTS messages_by_stored_at ON messages(stored_at);
                """);
            // Files written before the cluster existed lack these: a node that ships its rows to the shared store needs
            // each row's number and the ownership epoch it was made under.
            AddColumnIfMissing("seq", "INTEGER");
            AddColumnIfMissing("epoch", "INTEGER");
            // The one scan of the table, at open; from here on the counters follow every change.
            using (var totals = Command($"SELECT count(*), coalesce(sum({StoredBytesOfRow}), 0) FROM messages;"))
            using (var reader = totals.ExecuteReader())
            {
                reader.Read();
                _count = reader.GetInt64(0);
                _bytes = reader.GetInt64(1);
            }

            _nextSeq = Prepare("""
                INSERT INTO sequences(camera_id, last_seq) VALUES ($camera, 1)
                ON CONFLICT(camera_id) DO UPDATE SET last_seq = last_seq + 1
                RETURNING last_seq;
                """, "$camera");
            _insert = Prepare($"""
                INSERT INTO messages(topic, payload, content_type, retain, kind, camera_id, summary, user_properties, stored_at, seq, epoch)
                VALUES ($topic, $payload, $contentType, $retain, $kind, $camera, $summary, $userProperties, $storedAt, $seq, $epoch)
                RETURNING row_id, {StoredBytesOfRow};
                """, "$topic", "$payload", "$contentType", "$retain", "$kind", "$camera", "$summary", "$userProperties", "$storedAt", "$seq", "$epoch");
            _remove = Prepare($"DELETE FROM messages WHERE row_id = $id RETURNING {StoredBytesOfRow};", "$id");
            _peek = Prepare("""
                SELECT row_id, topic, payload, content_type, retain, kind, camera_id, summary, user_properties, stored_at, seq, epoch
                FROM messages ORDER BY row_id LIMIT $count;
                """, "$count");
        }
        catch
        {
            _db.Dispose();
            throw;
        }
        FilePath = System.IO.Path.GetFullPath(options.Path);
    }

    public string FilePath { get; }

    /// <summary>How many messages are stored; kept in memory, no query.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
                return _count;
        }
    }

    /// <summary>What the stored messages count against <see cref="OutboxOptions.MaxBytes"/>; kept in memory, no query.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
                return _bytes;
        }
    }

    /// <summary>
    /// Stores a message of <paramref name="cameraId"/> with that camera's next sequence number, which
    /// <paramref name="build"/> puts into the payload. Numbers grow by exactly one per message and survive restarts.
    /// The oldest messages are evicted, in the same transaction, to stay within <see cref="OutboxOptions.MaxMessages"/>
    /// and <see cref="OutboxOptions.MaxBytes"/>; a message larger than <see cref="OutboxOptions.MaxBytes"/> on its own
    /// is refused instead, since keeping it would evict everything older (see <see cref="AppendOutcome.Refused"/>).
    /// </summary>
    /// <param name="epochOf">In a cluster, the ownership epoch the message's camera is held under here, kept with the row.</param>
    public AppendOutcome Append(string cameraId, Func<long, MqttMessage> build, DateTime now, Func<string, long?>? epochOf = null)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _db.BeginTransaction();
            _nextSeq.Transaction = transaction;
            _nextSeq.Parameters["$camera"].Value = cameraId;
            var seq = (long)_nextSeq.ExecuteScalar()!;

            var message = build(seq);
            long rowId, bytes;
            _insert.Transaction = transaction;
            var values = _insert.Parameters;
            values["$topic"].Value = message.Topic;
            values["$payload"].Value = message.Payload;
            values["$contentType"].Value = message.ContentType;
            values["$retain"].Value = message.Retain ? 1 : 0;
            values["$kind"].Value = message.Kind;
            values["$camera"].Value = (object?)message.CameraId ?? DBNull.Value;
            values["$summary"].Value = message.Summary;
            values["$userProperties"].Value =
                message.UserProperties.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(message.UserProperties, OutboxJsonContext.Default.DictionaryStringString);
            values["$storedAt"].Value = now.Ticks;
            values["$seq"].Value = seq;
            values["$epoch"].Value = message.CameraId is { } camera && epochOf?.Invoke(camera) is { } epoch ? epoch : DBNull.Value;
            using (var inserted = _insert.ExecuteReader())
            {
                inserted.Read();
                rowId = inserted.GetInt64(0);
                bytes = inserted.GetInt64(1);
            }

            if (bytes > _options.MaxBytes)
            {
                // Counted by SQLite itself, so that the refusal and the counters agree on every message.
                using (var undo = Command("DELETE FROM messages WHERE row_id = $id;", transaction))
                {
                    undo.Parameters.AddWithValue("$id", rowId);
                    undo.ExecuteNonQuery();
                }
                transaction.Commit();
                return new AppendOutcome(seq, bytes, Refused: true, 0, 0);
            }

            var count = _count + 1;
            var total = _bytes + bytes;
            var evictedForCount = 0;
            if (count > _options.MaxMessages)
            {
                var (evicted, freed) = EvictOldest(count - _options.MaxMessages, transaction);
                evictedForCount = evicted;
                count -= evicted;
                total -= freed;
            }
            var evictedForBytes = 0;
            if (total > _options.MaxBytes)
            {
                var (evicted, freed) = EvictOldestBytes(total - _options.MaxBytes, transaction);
                evictedForBytes = evicted;
                count -= evicted;
                total -= freed;
            }
            transaction.Commit();
            _count = count;
            _bytes = total;
            return new AppendOutcome(seq, bytes, Refused: false, evictedForCount, evictedForBytes);
        }
    }

    /// <summary>The oldest messages, in the order they were stored.</summary>
    public List<StoredMessage> PeekOldest(int count)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _peek.Parameters["$count"].Value = count;
            using var reader = _peek.ExecuteReader();
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
                messages.Add(new StoredMessage(reader.GetInt64(0), message, new DateTime(reader.GetInt64(9), DateTimeKind.Utc))
                {
                    Seq = reader.IsDBNull(10) ? 0 : reader.GetInt64(10),
                    Epoch = reader.IsDBNull(11) ? null : reader.GetInt64(11),
                });
            }
            return messages;
        }
    }

    /// <summary>
    /// Continues the numbers of <paramref name="sequence"/> after <paramref name="last"/>: a camera taken over from
    /// another node of the cluster goes on from the last number committed for it.
    /// </summary>
    public void ContinueSequence(string sequence, long last)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var upsert = Command("""
                INSERT INTO sequences(camera_id, last_seq) VALUES ($camera, $last)
                ON CONFLICT(camera_id) DO UPDATE SET last_seq = $last;
                """);
            upsert.Parameters.AddWithValue("$camera", sequence);
            upsert.Parameters.AddWithValue("$last", last);
            upsert.ExecuteNonQuery();
        }
    }

    /// <summary>How many messages of <paramref name="cameraId"/> wait.</summary>
    public long CountFor(string cameraId)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_count == 0)
                return 0;
            using var select = Command("SELECT count(*) FROM messages WHERE camera_id = $camera;");
            select.Parameters.AddWithValue("$camera", cameraId);
            return (long)select.ExecuteScalar()!;
        }
    }

    /// <summary>Forgets a message the broker has acknowledged.</summary>
    public void Remove(long rowId)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _remove.Parameters["$id"].Value = rowId;
            var (removed, freed) = SumDeleted(_remove);
            _count -= removed;
            _bytes -= freed;
        }
    }

    /// <summary>Evicts messages stored before <paramref name="cutoff"/>; returns how many.</summary>
    /// <remarks>By <c>stored_at</c> through its index, not by <c>row_id</c>: a clock set back stores younger rows after older ones.</remarks>
    public int EvictOlderThan(DateTime cutoff)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var delete = Command($"DELETE FROM messages WHERE stored_at < $cutoff RETURNING {StoredBytesOfRow};");
            delete.Parameters.AddWithValue("$cutoff", cutoff.Ticks);
            var (evicted, freed) = SumDeleted(delete);
            _count -= evicted;
            _bytes -= freed;
            return evicted;
        }
    }

    /// <summary>How many messages wait, and when the oldest was stored.</summary>
    public (long Count, DateTime? Oldest) Depth()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_count == 0)
                return (0, null);
            // min() over an indexed column is one descent of the index.
            using var select = Command("SELECT min(stored_at) FROM messages;");
            var oldest = select.ExecuteScalar();
            return (_count, oldest is long ticks ? new DateTime(ticks, DateTimeKind.Utc) : null);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (var command in new[] { _nextSeq, _insert, _remove, _peek })
                command.Dispose();
            _db.Dispose();
        }
    }

    /// <summary>Deletes the <paramref name="count"/> oldest rows; returns how many and their bytes.</summary>
    private (int Evicted, long Freed) EvictOldest(long count, SqliteTransaction transaction)
    {
        using var delete = Command($"""
            DELETE FROM messages WHERE row_id IN (SELECT row_id FROM messages ORDER BY row_id LIMIT $count)
            RETURNING {StoredBytesOfRow};
            """, transaction);
        delete.Parameters.AddWithValue("$count", count);
        return SumDeleted(delete);
    }

    /// <summary>Deletes the oldest rows until at least <paramref name="excess"/> bytes are freed; reads only the rows it deletes.</summary>
    private (int Evicted, long Freed) EvictOldestBytes(long excess, SqliteTransaction transaction)
    {
        long freed = 0, last = 0;
        using (var oldest = Command($"SELECT row_id, {StoredBytesOfRow} FROM messages ORDER BY row_id;", transaction))
        using (var reader = oldest.ExecuteReader())
        {
            while (freed < excess && reader.Read())
            {
                last = reader.GetInt64(0);
                freed += reader.GetInt64(1);
            }
        }
        using var delete = Command("DELETE FROM messages WHERE row_id <= $last;", transaction);
        delete.Parameters.AddWithValue("$last", last);
        return (delete.ExecuteNonQuery(), freed);
    }

    /// <summary>Runs a <c>DELETE … RETURNING</c> of each row's bytes to the end, so that it has committed when this returns.</summary>
    private static (int Deleted, long Freed) SumDeleted(SqliteCommand delete)
    {
        int deleted = 0;
        long freed = 0;
        using var reader = delete.ExecuteReader();
        while (reader.Read())
        {
            deleted++;
            freed += reader.GetInt64(0);
        }
        return (deleted, freed);
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = Command(sql);
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private void AddColumnIfMissing(string column, string type)
    {
        using var info = Command("SELECT count(*) FROM pragma_table_info('messages') WHERE name = $column;");
        info.Parameters.AddWithValue("$column", column);
        if ((long)info.ExecuteScalar()! == 0)
            Execute($"ALTER TABLE messages ADD COLUMN {column} {type};");
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}
