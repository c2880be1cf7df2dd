namespace Surveillance.Ingest.Health;

/// <summary>A camera's health at one moment: what its status message and metrics report.</summary>
public sealed record CameraHealthSnapshot(
    string CameraId,
    CameraState State,
    ConnectionGrade Grade,
    double Fps,
    double ExpectedFps,
    int ReconnectsLastHour,
    int StallsLastHour,
    DateTime? LastFrameAt,
    DateTime StateSince,
    string? LastError);
