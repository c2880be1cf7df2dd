using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;
using Surveillance.Alerts.Outbox;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Alerts;

/// <summary>
/// The outbox's three bounds (messages, bytes, age) and its counters, on a real SQLite file: what is evicted is
/// always the oldest, what is kept is the newest within the bound, and the counters agree with what the file holds,
/// also after the file is closed and opened again, and for a file written by the version without the index.
/// </summary>
public sealed class OutboxBoundsTests
{
    private const string Camera = "cam-bounds";
    private const string Topic = "t/alerts/grid-1/cam-bounds";
    private const long OneMiB = 1 << 20;

    private static readonly DateTime Start = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_byte_bound_evicts_the_oldest_and_keeps_as_many_of_the_newest_as_fit()
    {
        using var file = new TemporaryOutbox();
        using var outbox = new SqliteOutbox(new OutboxOptions { Path = file.Path, MaxBytes = OneMiB });

        var evicted = 0;
        for (var i = 0; i < 30; i++)
        {
            var outcome = outbox.Append(Camera, seq => Message(seq, 100_000), Start);
            Assert.False(outcome.Refused);
            Assert.Equal(0, outcome.EvictedForCount);
            Assert.Equal(Bytes(outcome.Seq, 100_000), outcome.Bytes);
            evicted += outcome.EvictedForBytes;
            Assert.True(outbox.Bytes <= OneMiB, $"{outbox.Bytes} bytes stored after message {outcome.Seq}");
        }

        var size = Bytes(30, 100_000);
        var fit = (int)(OneMiB / size);
        Assert.Equal(10, fit); // the arithmetic of this test: ten of these fit in 1 MiB, eleven do not
        Assert.Equal(Enumerable.Range(31 - fit, fit).Select(i => (long)i), Seqs(outbox));
        Assert.Equal(30 - fit, evicted);
        Assert.Equal(fit, outbox.Count);
        Assert.Equal(Enumerable.Range(31 - fit, fit).Sum(s => Bytes(s, 100_000)), outbox.Bytes);
        Assert.Equal((fit, fit * 100_000L), OnDisk(file.Path));
    }

    [Fact]
    public void The_message_bound_evicts_the_oldest_one_for_one()
    {
        using var file = new TemporaryOutbox();
        using var outbox = new SqliteOutbox(new OutboxOptions { Path = file.Path, MaxMessages = 100 });

        for (var i = 1; i <= 250; i++)
        {
            var outcome = outbox.Append(Camera, seq => Message(seq, 50), Start.AddSeconds(i));
            Assert.Equal(i > 100 ? 1 : 0, outcome.EvictedForCount);
            Assert.Equal(0, outcome.EvictedForBytes);
        }

        Assert.Equal(100, outbox.Count);
        Assert.Equal(Enumerable.Range(151, 100).Select(i => (long)i), Seqs(outbox));
        Assert.Equal(Start.AddSeconds(151), outbox.Depth().Oldest);
        Assert.Equal((100, 100 * 50L), OnDisk(file.Path));
    }

    [Fact]
    public void The_age_bound_evicts_every_message_stored_before_the_cutoff_also_after_the_clock_was_set_back()
    {
        using var file = new TemporaryOutbox();
        using var outbox = new SqliteOutbox(new OutboxOptions { Path = file.Path, MaxAgeHours = 5 });
        var clock = new ManualTimeProvider(Start);

        // One an hour, stored at hours 0..9 (seq 1..10); then the clock is set back to hour 2 for seq 11, so
        // that the youngest row by row_id is one of the oldest by time.
        for (var hour = 0; hour < 10; hour++)
        {
            outbox.Append(Camera, seq => Message(seq, 200), clock.GetUtcNow().UtcDateTime);
            clock.Advance(TimeSpan.FromHours(1));
        }
        clock.Advance(TimeSpan.FromHours(-8));
        outbox.Append(Camera, seq => Message(seq, 200), clock.GetUtcNow().UtcDateTime);
        Assert.Equal(Start.AddHours(0), outbox.Depth().Oldest);

        clock.Advance(TimeSpan.FromHours(7.5)); // hour 9.5: everything before hour 4.5 is older than 5 h
        var expired = outbox.EvictOlderThan(clock.GetUtcNow().UtcDateTime - TimeSpan.FromHours(5));

        Assert.Equal(6, expired);
        Assert.Equal(Enumerable.Range(6, 5).Select(i => (long)i), Seqs(outbox));
        Assert.Equal(5, outbox.Count);
        Assert.Equal(Enumerable.Range(6, 5).Sum(s => Bytes(s, 200)), outbox.Bytes);
        Assert.Equal(Start.AddHours(5), outbox.Depth().Oldest);
        Assert.Equal(0, outbox.EvictOlderThan(clock.GetUtcNow().UtcDateTime - TimeSpan.FromHours(5)));
    }

    [Fact]
    public void A_message_larger_than_the_byte_bound_alone_is_refused_its_number_skipped_and_nothing_older_evicted()
    {
        using var file = new TemporaryOutbox();
        using var outbox = new SqliteOutbox(new OutboxOptions { Path = file.Path, MaxBytes = OneMiB });
        for (var i = 0; i < 3; i++)
            outbox.Append(Camera, seq => Message(seq, 1000), Start);
        var bytesBefore = outbox.Bytes;

        var huge = outbox.Append(Camera, seq => Message(seq, (int)OneMiB), Start);

        Assert.True(huge.Refused);
        Assert.Equal(4, huge.Seq);
        Assert.Equal(Bytes(4, (int)OneMiB), huge.Bytes);
        Assert.Equal((0, 0), (huge.EvictedForCount, huge.EvictedForBytes));
        Assert.Equal(Enumerable.Range(1, 3).Select(i => (long)i), Seqs(outbox));
        Assert.Equal(bytesBefore, outbox.Bytes);
        Assert.Equal((3, 3000L), OnDisk(file.Path));
        Assert.Equal(5, outbox.Append(Camera, seq => Message(seq, 1000), Start).Seq);
    }

    [Fact]
    public void A_refused_message_is_counted_under_bytes_and_logged_as_lost()
    {
        using var file = new TemporaryOutbox();
        var options = new OutboxOptions { Path = file.Path, MaxBytes = OneMiB };
        using var store = new SqliteOutbox(options);
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var topics = new MqttTopics("t", "node-bounds");
        var metrics = FreshMetrics.Alerts();
        using var connection = new MqttConnection(Options.Create(new MqttOptions()), Options.Create(new NodeIdentity { Id = "node-bounds" }),
            new NodeInstance(TimeProvider.System), topics,
            new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(loggers.CreateLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>()),
            TimeProvider.System, metrics, loggers.CreateLogger<MqttConnection>());
        using var mqtt = new MqttOutbox(connection, store, new BrokerCourier(connection), new NoCameraEpochs(), Options.Create(options), Options.Create(new MqttOptions()), TimeProvider.System,
            metrics, loggers.CreateLogger<MqttOutbox>());

        var seq = mqtt.AppendDurable("cam-refused", s => Message(s, (int)OneMiB + 1));

        Assert.Equal(1, seq);
        Assert.Equal(0, store.Count);
        Assert.Equal(1, metrics.OutboxEvicted.WithLabels("bytes").Value);
        Assert.Contains(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal)
            && l.Contains("refused message 1 of camera cam-refused", StringComparison.Ordinal) && l.Contains("Outbox:MaxBytes", StringComparison.Ordinal));
    }

    [Fact]
    public void The_counters_survive_closing_and_opening_the_file_again()
    {
        using var file = new TemporaryOutbox();
        var options = new OutboxOptions { Path = file.Path };
        var sizes = new Dictionary<(string Camera, long Seq), long>();
        long count, bytes;
        DateTime? oldest;
        using (var outbox = new SqliteOutbox(options))
        {
            for (var i = 0; i < 60; i++)
            {
                var camera = i % 2 == 0 ? "cam-even" : "cam-odd";
                var outcome = outbox.Append(camera, seq => Message(seq, 100 * i + 4, camera), Start.AddMinutes(i));
                sizes[(camera, outcome.Seq)] = outcome.Bytes;
            }
            foreach (var stored in outbox.PeekOldest(10))
            {
                outbox.Remove(stored.RowId);
                sizes.Remove((stored.Message.CameraId!, SeqOf(stored.Message)));
            }
            Assert.Equal(10, outbox.EvictOlderThan(Start.AddMinutes(20)));
            foreach (var key in sizes.Keys.Where(k => k.Seq <= 10).ToList())
                sizes.Remove(key);
            (count, oldest) = outbox.Depth();
            bytes = outbox.Bytes;
            Assert.Equal(40, count);
            Assert.Equal(sizes.Values.Sum(), bytes);
            Assert.Equal(Start.AddMinutes(20), oldest);
        }

        using var reopened = new SqliteOutbox(options);
        Assert.Equal((count, oldest), reopened.Depth());
        Assert.Equal(bytes, reopened.Bytes);
        Assert.Equal(31, reopened.Append("cam-even", seq => Message(seq, 10, "cam-even"), Start.AddMinutes(61)).Seq);
        Assert.Equal(count + 1, reopened.Count);
    }

    [Fact]
    public void A_file_of_the_version_without_the_index_opens_gets_the_index_and_its_counters()
    {
        using var file = new TemporaryOutbox();
        using (var old = new SqliteConnection($"Data Source={file.Path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            // The schema as the previous version wrote it, and three of its rows.
            create.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE messages (
                    row_id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload BLOB NOT NULL, content_type TEXT NOT NULL,
                    retain INTEGER NOT NULL, kind TEXT NOT NULL, camera_id TEXT, summary TEXT NOT NULL, user_properties TEXT,
                    stored_at INTEGER NOT NULL);
                CREATE TABLE sequences (camera_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
                INSERT INTO sequences VALUES ('cam-old', 3);
                """;
            create.ExecuteNonQuery();
            for (var seq = 1; seq <= 3; seq++)
            {
                using var insert = old.CreateCommand();
                insert.CommandText = """
                    INSERT INTO messages(topic, payload, content_type, retain, kind, camera_id, summary, user_properties, stored_at)
                    VALUES ($topic, $payload, 'application/json', 0, 'alert', 'cam-old', $summary, '{"rule":"gate"}', $storedAt);
                    """;
                insert.Parameters.AddWithValue("$topic", Topic);
                insert.Parameters.AddWithValue("$payload", new byte[100 * seq]);
                insert.Parameters.AddWithValue("$summary", $"alert {seq}");
                insert.Parameters.AddWithValue("$storedAt", Start.AddMinutes(seq).Ticks);
                insert.ExecuteNonQuery();
            }
        }
        Assert.Empty(Indexes(file.Path));

        using var outbox = new SqliteOutbox(new OutboxOptions { Path = file.Path });

        Assert.Equal("messages_by_stored_at", Assert.Single(Indexes(file.Path)));
        Assert.Equal((3L, (DateTime?)Start.AddMinutes(1)), outbox.Depth());
        var properties = Encoding.UTF8.GetByteCount("""{"rule":"gate"}""");
        Assert.Equal(Enumerable.Range(1, 3).Sum(s => 100 * s + Topic.Length + $"alert {s}".Length + properties), outbox.Bytes);
        Assert.Equal(4, outbox.Append("cam-old", seq => Message(seq, 10, "cam-old"), Start.AddMinutes(4)).Seq);
        Assert.Equal(1, outbox.EvictOlderThan(Start.AddMinutes(1.5)));
        Assert.Equal(3, outbox.Count);
    }

    [Theory]
    [InlineData(OneMiB - 1)]
    [InlineData((1L << 40) + 1)]
    public void A_byte_bound_out_of_range_is_rejected_naming_the_key(long maxBytes)
    {
        var errors = new OutboxOptions { MaxBytes = maxBytes }.Validate().ToList();
        Assert.Contains(errors, e => e.StartsWith("Outbox:MaxBytes:", StringComparison.Ordinal) && e.Contains(maxBytes.ToString(), StringComparison.Ordinal));
        Assert.Empty(new OutboxOptions().Validate());
        Assert.Equal(1L << 30, new OutboxOptions().MaxBytes);
    }

    /// <summary>A message whose payload starts with its seq, so the test can read the order back.</summary>
    private static MqttMessage Message(long seq, int payloadBytes, string camera = Camera)
    {
        var payload = new byte[payloadBytes];
        BitConverter.TryWriteBytes(payload, (int)seq);
        return new MqttMessage(Topic, payload, "application/octet-stream", Retain: false, "alert", camera, $"alert {seq}");
    }

    /// <summary>What <see cref="Message"/> counts against the byte bound: payload, topic and summary (all ASCII), no user properties.</summary>
    private static long Bytes(long seq, int payloadBytes) => payloadBytes + Topic.Length + $"alert {seq}".Length;

    private static long SeqOf(MqttMessage message) => BitConverter.ToInt32(message.Payload);

    private static List<long> Seqs(SqliteOutbox outbox) => [.. outbox.PeekOldest(10_000).Select(m => SeqOf(m.Message))];

    /// <summary>What the file holds, read apart from the outbox and its counters.</summary>
    private static (long Count, long PayloadBytes) OnDisk(string path)
    {
        using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var select = db.CreateCommand();
        select.CommandText = "SELECT count(*), coalesce(sum(length(payload)), 0) FROM messages;";
        using var reader = select.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static List<string> Indexes(string path)
    {
        using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var select = db.CreateCommand();
        select.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL;";
        using var reader = select.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    }
}
