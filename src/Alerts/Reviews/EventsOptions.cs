namespace Surveillance.Alerts.Reviews;

/// <summary>The node's local store of events, their alerts and snapshots, and the review items over them, under <c>Events</c>.</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";
    public const long MinMaxBytes = 1L << 20;
    public const long MaxMaxBytes = 1L << 40;

    /// <summary>
    /// The SQLite file; relative paths are resolved from the working directory. Empty (the default): beside the
    /// outbox, its path with <c>.events.db</c> for extension (<c>data/outbox.events.db</c>), so that nodes with an
    /// outbox each have a store of their own.
    /// </summary>
    public string Path { get; set; } = "";

    /// <summary>The file to open: <see cref="Path"/>, or the one beside <paramref name="outboxPath"/>.</summary>
    public string FileBeside(string outboxPath) => string.IsNullOrWhiteSpace(Path) ? System.IO.Path.ChangeExtension(outboxPath, ".events.db") : Path;

    /// <summary>Review items (with their events) whose last event is older than this are deleted.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// What the stored alerts' JSON and snapshots' JPEGs may take (1 GiB by default); beyond it the oldest review
    /// items are deleted with their events. The rows' own few hundred bytes and SQLite's overhead come on top.
    /// </summary>
    public long MaxBytes { get; set; } = 1L << 30;

    public IEnumerable<string> Validate()
    {
        if (MaxAge <= TimeSpan.Zero || MaxAge > TimeSpan.FromDays(366))
            yield return $"{Section}:MaxAge: must be greater than 0 and at most 366.00:00:00 (a TimeSpan, e.g. 7.00:00:00 for 7 days; was {MaxAge})";
        if (MaxBytes is < MinMaxBytes or > MaxMaxBytes)
            yield return $"{Section}:MaxBytes: must be between {MinMaxBytes} (1 MiB) and {MaxMaxBytes} (1 TiB) bytes (was {MaxBytes})";
    }
}
