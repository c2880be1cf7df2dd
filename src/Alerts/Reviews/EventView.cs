namespace Surveillance.Alerts.Reviews;

/// <summary>An event as the events API lists it: what its latest alert says, its review item, and that item's state.</summary>
public sealed record EventView(
    string Id,
    string ReviewId,
    string CameraId,
    string GridId,
    string Rule,
    string RuleType,
    string Severity,
    string Label,
    long? TrackId,
    DateTime StartedAt,
    DateTime? EndedAt,
    string? EndReason,
    double TopScore,
    bool HasSnapshot,
    AlertLocation? Location,
    string State);
