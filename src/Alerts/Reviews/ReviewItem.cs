namespace Surveillance.Alerts.Reviews;

/// <summary>
/// One incident on one camera for an operator to work: the camera's events that overlapped or followed each
/// other closely, in one grid. Its JSON is what the API answers and the reviews topic carries (docs/reviews.md).
/// </summary>
public sealed record ReviewItem
{
    public required string Id { get; init; }
    public required string CameraId { get; init; }
    public required string GridId { get; init; }

    /// <summary>The highest severity of its events.</summary>
    public required string Severity { get; init; }
    public required IReadOnlyList<string> Rules { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required IReadOnlyList<string> EventIds { get; init; }
    public int EventCount => EventIds.Count;
    public required DateTime StartedAt { get; init; }

    /// <summary>When its last event ended; null while any of its events is open.</summary>
    public DateTime? EndedAt { get; init; }
    public bool Open => EndedAt is null;
    public string State { get; init; } = ReviewState.New;
    public string? Assignee { get; init; }
    public bool HasSnapshot => SnapshotEventId is not null;

    /// <summary>The event whose snapshot is the item's: the one with the highest score among those that have one.</summary>
    public string? SnapshotEventId { get; init; }
    public IReadOnlyList<ReviewVehicle> NearbyVehicles { get; init; } = [];
    public AlertLocation? Location { get; init; }
    public IReadOnlyList<ReviewEntry> History { get; init; } = [];
}
