using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using Surveillance.Alerts.Mqtt;
using Surveillance.Alerts.Outbox;

namespace Surveillance.Benchmarks;

/// <summary>
/// The outbox's store with nothing waiting and with 500,000 messages of 1 KiB waiting (a long broker outage): an
/// append, a drained batch (the 200 oldest read and removed one by one, as <c>MqttOutbox</c> does once the broker
/// acknowledges them) and the maintenance <c>MqttOutbox</c> runs every second and after every batch (age eviction
/// with nothing old enough, and the depth). None of them should cost more with the backlog.
/// </summary>
/// <remarks>
/// One invocation of a few operations per iteration, since each drain needs its batch put back first and an append
/// or a maintenance that scans a backlog of 500,000 takes most of a second: the figures are per message for append
/// and drain, per run for maintenance. Appends are not taken back, so a backlog grows by ten an iteration (160 in all).
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 15, invocationCount: 1)]
public class OutboxBenchmarks
{
    private const int AppendsPerIteration = 10;
    private const int DrainBatch = 200;
    private const int MaintenancesPerIteration = 5;
    private const string Camera = "cam-bench";

    private static readonly DateTime Now = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
    private static readonly MqttMessage Alert = BenchmarkMessage();

    private string _path = "";
    private SqliteOutbox _outbox = null!;

    [Params(0, 500_000)]
    public int Stored { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"surveillance-outbox-bench-{Guid.NewGuid():N}.db");
        Fill(_path, Stored);
        // Bounds far away: this measures storing and draining, not eviction.
        _outbox = new SqliteOutbox(new OutboxOptions { Path = _path, MaxMessages = 100_000_000, MaxBytes = OutboxOptions.MaxMaxBytes });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _outbox.Dispose();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            File.Delete(file);
    }

    [Benchmark(OperationsPerInvoke = AppendsPerIteration)]
    public long Append()
    {
        long seq = 0;
        for (var i = 0; i < AppendsPerIteration; i++)
            seq += _outbox.Append(Camera, _ => Alert, Now).Seq;
        return seq;
    }

    /// <summary>The drain takes the oldest: 200 more at the end keep the backlog where it was.</summary>
    [IterationSetup(Target = nameof(Drain))]
    public void PutBackABatch()
    {
        for (var i = 0; i < DrainBatch; i++)
            _outbox.Append(Camera, _ => Alert, Now);
    }

    [Benchmark(OperationsPerInvoke = DrainBatch)]
    public int Drain()
    {
        var batch = _outbox.PeekOldest(DrainBatch);
        foreach (var stored in batch)
            _outbox.Remove(stored.RowId);
        return batch.Count;
    }

    [Benchmark(OperationsPerInvoke = MaintenancesPerIteration)]
    public long Maintain()
    {
        long result = 0;
        for (var i = 0; i < MaintenancesPerIteration; i++)
            result += _outbox.EvictOlderThan(Now - TimeSpan.FromHours(24)) + _outbox.Depth().Count;
        return result;
    }

    /// <summary>
    /// Writes <paramref name="count"/> messages straight into the table, with the schema every version of the
    /// store has had; the store under test adds what it needs (its index) when it opens the file.
    /// </summary>
    private static void Fill(string path, int count)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        using (var schema = db.CreateCommand())
        {
            schema.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE messages (
                    row_id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload BLOB NOT NULL, content_type TEXT NOT NULL,
                    retain INTEGER NOT NULL, kind TEXT NOT NULL, camera_id TEXT, summary TEXT NOT NULL, user_properties TEXT,
                    stored_at INTEGER NOT NULL);
                CREATE TABLE sequences (camera_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
                """;
            schema.ExecuteNonQuery();
        }
        using var transaction = db.BeginTransaction();
        using var insert = db.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO messages(topic, payload, content_type, retain, kind, camera_id, summary, user_properties, stored_at)
            VALUES ($topic, $payload, $contentType, 0, $kind, $camera, $summary, $userProperties, $storedAt);
            """;
        insert.Parameters.AddWithValue("$topic", Alert.Topic);
        insert.Parameters.AddWithValue("$payload", Alert.Payload);
        insert.Parameters.AddWithValue("$contentType", Alert.ContentType);
        insert.Parameters.AddWithValue("$kind", Alert.Kind);
        insert.Parameters.AddWithValue("$camera", Alert.CameraId);
        insert.Parameters.AddWithValue("$summary", Alert.Summary);
        insert.Parameters.AddWithValue("$userProperties", """{"type":"new","rule":"gate-at-night","ruleType":"intrusion","severity":"high"}""");
        var storedAt = insert.Parameters.Add("$storedAt", SqliteType.Integer);
        for (var i = 0; i < count; i++)
        {
            // A message a millisecond, the last just before the benchmark's clock: none is older than a day.
            storedAt.Value = (Now - TimeSpan.FromMilliseconds(count - i)).Ticks;
            insert.ExecuteNonQuery();
        }
        using (var sequence = db.CreateCommand())
        {
            sequence.Transaction = transaction;
            sequence.CommandText = "INSERT INTO sequences VALUES ($camera, $seq);";
            sequence.Parameters.AddWithValue("$camera", Camera);
            sequence.Parameters.AddWithValue("$seq", count);
            sequence.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>An alert's shape: a 1 KiB payload, its topic, a one-line summary and the routing properties.</summary>
    private static MqttMessage BenchmarkMessage()
    {
        var payload = new byte[1024];
        new Random(7).NextBytes(payload);
        return new MqttMessage("surveillance/alerts/grid-042/cam-bench", payload, "application/json", Retain: false, "alert", Camera,
            "Alert 01a217eb-c28f-728f-b624-0ecb79f1dcb8 published: person (0.91) on camera cam-bench, grid grid-042, at 31.2304, 121.4737 (camera); new of intrusion rule 'gate-at-night' (high)")
        {
            UserProperties = new Dictionary<string, string>
            {
                ["type"] = "new",
                ["rule"] = "gate-at-night",
                ["ruleType"] = "intrusion",
                ["severity"] = "high",
            },
        };
    }
}
