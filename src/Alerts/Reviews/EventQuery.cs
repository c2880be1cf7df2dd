namespace Surveillance.Alerts.Reviews;

/// <summary>The filters of a list of events or review items; null matches everything.</summary>
/// <param name="Since">Started at or after this instant.</param>
/// <param name="Limit">At most this many, newest first.</param>
public sealed record EventQuery(string? GridId, string? CameraId, string? Severity, string? Rule, string? State, DateTime? Since, int Limit);
