using System.Text;
using Microsoft.Data.Sqlite;

namespace Surveillance.Alerts.Reviews;

/// <summary>
/// The node's events, each alert of them as published, their snapshots, the review items over them and the
/// mutes, in SQLite (WAL). Bounded by age and bytes: the oldest review items go first, each with all of its
/// events, so that every event kept still belongs to its item.
/// </summary>
/// <remarks>
/// The bytes counted (<see cref="EventsOptions.MaxBytes"/>) are the alerts' JSON and the snapshots' JPEGs, kept per
/// item and in memory; the total is read once at open.
/// </remarks>
public sealed class EventStore : IDisposable
{
    private const char RuleSeparator = '\u001f';
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();
    private long _bytes;
    private bool _disposed;

    public EventStore(string file)
    {
        _db = SqliteFile.Open(file);
        try
        {
            Execute("""
                CREATE TABLE IF NOT EXISTS reviews (
                    id TEXT PRIMARY KEY, camera_id TEXT NOT NULL, grid_id TEXT NOT NULL, severity TEXT NOT NULL,
                    state TEXT NOT NULL, rules TEXT NOT NULL, started_at INTEGER NOT NULL, last_at INTEGER NOT NULL,
                    bytes INTEGER NOT NULL DEFAULT 0, doc TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS reviews_by_started ON reviews(started_at);
                CREATE INDEX IF NOT EXISTS reviews_by_last ON reviews(last_at);
                CREATE TABLE IF NOT EXISTS events (
                    id TEXT PRIMARY KEY, review_id TEXT NOT NULL, camera_id TEXT NOT NULL, grid_id TEXT NOT NULL,
                    rule TEXT NOT NULL, severity TEXT NOT NULL, started_at INTEGER NOT NULL, top_score REAL NOT NULL,
                    last_alert BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS events_by_started ON events(started_at);
                CREATE INDEX IF NOT EXISTS events_by_review ON events(review_id);
                CREATE TABLE IF NOT EXISTS alerts (n INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, json BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS alerts_by_event ON alerts(event_id);
                CREATE TABLE IF NOT EXISTS snapshots (event_id TEXT PRIMARY KEY, jpeg BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS mutes (
                    camera_id TEXT NOT NULL, rule TEXT NOT NULL, grid_id TEXT NOT NULL, until INTEGER NOT NULL,
                    by TEXT NOT NULL, comment TEXT, at INTEGER NOT NULL, PRIMARY KEY (camera_id, rule));
                """);
            using var total = Command("SELECT coalesce(sum(bytes), 0) FROM reviews;");
            _bytes = (long)total.ExecuteScalar()!;
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    /// <summary>What the stored alerts and snapshots count against <see cref="EventsOptions.MaxBytes"/>.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
                return _bytes;
        }
    }

    /// <summary>Stores an alert as published (<paramref name="json"/>), its event, and the item it belongs to, in one transaction.</summary>
    public void AddAlert(Alert alert, byte[] json, ReviewItem item, DateTime now)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _db.BeginTransaction();
            Run(transaction, """
                INSERT INTO events(id, review_id, camera_id, grid_id, rule, severity, started_at, top_score, last_alert)
                VALUES ($id, $review, $camera, $grid, $rule, $severity, $started, $score, $json)
                ON CONFLICT(id) DO UPDATE SET top_score = excluded.top_score, last_alert = excluded.last_alert;
                INSERT INTO alerts(event_id, json) VALUES ($id, $json);
                """,
                ("$id", alert.EventId), ("$review", item.Id), ("$camera", alert.CameraId), ("$grid", alert.GridId), ("$rule", alert.Rule),
                ("$severity", alert.Severity), ("$started", Millis(alert.StartedAt)), ("$score", alert.TopScore), ("$json", json));
            SaveItem(transaction, item, json.Length, now);
            transaction.Commit();
            _bytes += json.Length;
        }
    }

    /// <summary>Stores an event's snapshot; false when the event is not stored (it was pruned, or never recorded).</summary>
    public bool AddSnapshot(string eventId, byte[] jpeg)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _db.BeginTransaction();
            var review = Scalar(transaction, "SELECT review_id FROM events WHERE id = $id;", ("$id", eventId)) as string;
            if (review is null)
                return false;
            Run(transaction, """
                INSERT OR REPLACE INTO snapshots(event_id, jpeg) VALUES ($id, $jpeg);
                UPDATE reviews SET bytes = bytes + $n WHERE id = $review;
                """, ("$id", eventId), ("$jpeg", jpeg), ("$n", jpeg.Length), ("$review", review));
            transaction.Commit();
            _bytes += jpeg.Length;
            return true;
        }
    }

    public void SaveItem(ReviewItem item, DateTime now)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _db.BeginTransaction();
            SaveItem(transaction, item, 0, now);
            transaction.Commit();
        }
    }

    public ReviewItem? Item(string id)
    {
        lock (_lock)
            return Scalar(null, "SELECT doc FROM reviews WHERE id = $id;", ("$id", id)) is string doc ? ReviewJson.Deserialize(doc) : null;
    }

    public IReadOnlyList<ReviewItem> Items(EventQuery query)
    {
        var (where, parameters) = Where(query, "r", "r");
        lock (_lock)
            return Read($"SELECT r.doc FROM reviews r {where} ORDER BY r.started_at DESC, r.id DESC LIMIT $limit;", parameters,
                r => ReviewJson.Deserialize(r.GetString(0)));
    }

    /// <summary>Events with their item's state, newest first.</summary>
    public IReadOnlyList<EventView> Events(EventQuery query, string? eventId = null)
    {
        var (where, parameters) = Where(query, "e", "r");
        if (eventId is not null)
        {
            where += (where.Length == 0 ? "WHERE " : " AND ") + "e.id = $event";
            parameters.Add(("$event", eventId));
        }
        lock (_lock)
            return Read($"""
                SELECT e.last_alert, e.review_id, EXISTS (SELECT 1 FROM snapshots s WHERE s.event_id = e.id), r.state, e.grid_id
                FROM events e JOIN reviews r ON r.id = e.review_id {where} ORDER BY e.started_at DESC, e.id DESC LIMIT $limit;
                """, parameters, r => ViewOf(AlertJson.Deserialize((byte[])r[0])!, r.GetString(1), r.GetInt64(2) != 0, r.GetString(3), r.GetString(4)));
    }

    /// <summary>Every alert of the event as published, in the order they were.</summary>
    public IReadOnlyList<byte[]> AlertsOf(string eventId)
    {
        lock (_lock)
            return Read("SELECT json FROM alerts WHERE event_id = $id ORDER BY n;", [("$id", eventId)], r => (byte[])r[0]);
    }

    public byte[]? Snapshot(string eventId)
    {
        lock (_lock)
            return Scalar(null, "SELECT jpeg FROM snapshots WHERE event_id = $id;", ("$id", eventId)) as byte[];
    }

    public double? TopScore(string eventId)
    {
        lock (_lock)
            return Scalar(null, "SELECT top_score FROM events WHERE id = $id;", ("$id", eventId)) is double score ? score : null;
    }

    /// <summary>Items the engine left open when it last stopped without ending its events (it was killed): ended now, at their last alert.</summary>
    public IReadOnlyList<ReviewItem> OpenItems()
    {
        lock (_lock)
            return Read("SELECT doc FROM reviews WHERE json_extract(doc, '$.endedAt') IS NULL;", [], r => ReviewJson.Deserialize(r.GetString(0)));
    }

    public DateTime? LastAlertAt(string reviewId)
    {
        lock (_lock)
            return Scalar(null, "SELECT last_at FROM reviews WHERE id = $id;", ("$id", reviewId)) is long millis ? FromMillis(millis) : null;
    }

    public void SaveMute(Mute mute)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Run(null, """
                INSERT OR REPLACE INTO mutes(camera_id, rule, grid_id, until, by, comment, at) VALUES ($camera, $rule, $grid, $until, $by, $comment, $at);
                """, ("$camera", mute.CameraId), ("$rule", mute.Rule), ("$grid", mute.GridId), ("$until", Millis(mute.Until)), ("$by", mute.By),
                ("$comment", mute.Comment), ("$at", Millis(mute.At)));
        }
    }

    public bool DeleteMute(string cameraId, string rule)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Run(null, "DELETE FROM mutes WHERE camera_id = $camera AND rule = $rule;", ("$camera", cameraId), ("$rule", rule)) > 0;
        }
    }

    public IReadOnlyList<Mute> Mutes()
    {
        lock (_lock)
            return Read("SELECT camera_id, grid_id, rule, until, by, comment, at FROM mutes ORDER BY camera_id, rule;", [],
                r => new Mute(r.GetString(0), r.GetString(1), r.GetString(2), FromMillis(r.GetInt64(3)), r.GetString(4),
                    r.IsDBNull(5) ? null : r.GetString(5), FromMillis(r.GetInt64(6))));
    }

    /// <summary>
    /// Deletes the items whose last alert is older than <paramref name="oldest"/>, then the oldest items while the bytes
    /// are over <paramref name="maxBytes"/>, each with its events, alerts and snapshots, never those in <paramref name="keep"/>.
    /// </summary>
    /// <returns>How many items were deleted.</returns>
    public int Prune(DateTime oldest, long maxBytes, IReadOnlySet<string> keep)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var doomed = new List<(string Id, long Bytes)>();
            var bytes = _bytes;
            foreach (var (id, itemBytes, lastAt) in Read("SELECT id, bytes, last_at FROM reviews ORDER BY last_at LIMIT 10000;", [],
                         r => (r.GetString(0), r.GetInt64(1), r.GetInt64(2))))
            {
                if (keep.Contains(id))
                    continue;
                if (lastAt >= Millis(oldest) && bytes <= maxBytes)
                    break;
                doomed.Add((id, itemBytes));
                bytes -= itemBytes;
            }
            if (doomed.Count == 0)
                return 0;
            using var transaction = _db.BeginTransaction();
            foreach (var (id, _) in doomed)
            {
                Run(transaction, """
                    DELETE FROM alerts WHERE event_id IN (SELECT id FROM events WHERE review_id = $id);
                    DELETE FROM snapshots WHERE event_id IN (SELECT id FROM events WHERE review_id = $id);
                    DELETE FROM events WHERE review_id = $id;
                    DELETE FROM reviews WHERE id = $id;
                    """, ("$id", id));
            }
            transaction.Commit();
            _bytes = bytes;
            return doomed.Count;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            _db.Dispose();
        }
    }

    private void SaveItem(SqliteTransaction transaction, ReviewItem item, long addedBytes, DateTime now)
    {
        var rules = new StringBuilder().Append(RuleSeparator);
        foreach (var rule in item.Rules)
            rules.Append(rule).Append(RuleSeparator);
        Run(transaction, """
            INSERT INTO reviews(id, camera_id, grid_id, severity, state, rules, started_at, last_at, bytes, doc)
            VALUES ($id, $camera, $grid, $severity, $state, $rules, $started, $last, $bytes, $doc)
            ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, state = excluded.state, rules = excluded.rules,
                last_at = max(last_at, excluded.last_at), bytes = bytes + excluded.bytes, doc = excluded.doc;
            """,
            ("$id", item.Id), ("$camera", item.CameraId), ("$grid", item.GridId), ("$severity", item.Severity), ("$state", item.State),
            ("$rules", rules.ToString()), ("$started", Millis(item.StartedAt)), ("$last", Millis(now)),
            ("$bytes", addedBytes), ("$doc", ReviewJson.ToText(item)));
    }

    private static (string Where, List<(string, object?)> Parameters) Where(EventQuery query, string rows, string reviews)
    {
        var clauses = new List<string>();
        var parameters = new List<(string, object?)> { ("$limit", query.Limit) };
        void Add(string clause, string name, object? value)
        {
            clauses.Add(clause);
            parameters.Add((name, value));
        }
        if (query.GridId is not null)
            Add($"{rows}.grid_id = $grid", "$grid", query.GridId);
        if (query.CameraId is not null)
            Add($"{rows}.camera_id = $camera", "$camera", query.CameraId);
        if (query.Severity is not null)
            Add($"{rows}.severity = $severity", "$severity", query.Severity);
        if (query.Rule is not null)
            Add(rows == reviews ? $"instr({reviews}.rules, $rule) > 0" : $"{rows}.rule = $rule", "$rule",
                rows == reviews ? $"{RuleSeparator}{query.Rule}{RuleSeparator}" : query.Rule);
        if (query.State is not null)
            Add($"{reviews}.state = $state", "$state", query.State);
        if (query.Since is { } since)
            Add($"{rows}.started_at >= $since", "$since", Millis(since));
        return (clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses), parameters);
    }

    /// <summary>The event as its latest alert describes it, in the grid its <c>new</c> was routed to.</summary>
    private static EventView ViewOf(Alert latest, string reviewId, bool hasSnapshot, string state, string gridId) => new(
        latest.EventId, reviewId, latest.CameraId, gridId, latest.Rule, latest.RuleType, latest.Severity, latest.Label, latest.TrackId,
        latest.StartedAt, latest.EndedAt, latest.EndReason, latest.TopScore, hasSnapshot, latest.Location, state);

    private static long Millis(DateTime at) => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    private static DateTime FromMillis(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime;

    private List<T> Read<T>(string sql, IEnumerable<(string Name, object? Value)> parameters, Func<SqliteDataReader, T> row)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var command = Command(sql);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(row(reader));
        return rows;
    }

    private object? Scalar(SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var command = Command(sql);
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteScalar();
    }

    private int Run(SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql);
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
