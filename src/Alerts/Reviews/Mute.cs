namespace Surveillance.Alerts.Reviews;

/// <summary>A rule silenced on one camera until <paramref name="Until"/>: it opens no event there meanwhile.</summary>
public sealed record Mute(string CameraId, string GridId, string Rule, DateTime Until, string By, string? Comment, DateTime At);
