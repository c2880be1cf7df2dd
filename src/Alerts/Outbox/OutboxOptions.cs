namespace Surveillance.Alerts.Outbox;

/// <summary>The durable outbox, under <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const long MinMaxBytes = 1L << 20;
    public const long MaxMaxBytes = 1L << 40;

    /// <summary>The SQLite file; relative paths are resolved from the working directory.</summary>
    public string Path { get; set; } = "data/outbox.db";

    /// <summary>Messages kept while the broker is unreachable; beyond this the oldest are evicted and counted.</summary>
    public int MaxMessages { get; set; } = 1_000_000;

    /// <summary>
    /// Bytes kept while the broker is unreachable (1 GiB by default), so that a long outage with snapshots cannot
    /// fill the disk; beyond this the oldest are evicted and counted. What counts is what a message stores that
    /// varies with it: the payload, and the UTF-8 bytes of its topic, summary and user properties (as JSON).
    /// SQLite's own overhead (row headers, pages, the index, the WAL) comes on top, a few tens of bytes a message.
    /// </summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Messages older than this are evicted and counted: an alert a day old helps nobody.</summary>
    public double MaxAgeHours { get; set; } = 24;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
            yield return "Outbox:Path: is required";
        if (MaxMessages is < 100 or > 100_000_000)
            yield return $"Outbox:MaxMessages: must be between 100 and 100000000 (was {MaxMessages})";
        if (MaxBytes is < MinMaxBytes or > MaxMaxBytes)
            yield return $"Outbox:MaxBytes: must be between {MinMaxBytes} (1 MiB) and {MaxMaxBytes} (1 TiB) bytes (was {MaxBytes})";
        if (double.IsNaN(MaxAgeHours) || MaxAgeHours <= 0 || MaxAgeHours > 24 * 365)
            yield return $"Outbox:MaxAgeHours: must be greater than 0 and at most 8760 (was {MaxAgeHours})";
    }
}
