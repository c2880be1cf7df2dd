namespace Surveillance.Alerts;

/// <summary>What the alert stage knows of the camera an object was seen by.</summary>
/// <param name="Position">The camera's configured position; null when it has none (a patrol vehicle).</param>
public sealed record AlertSource(string CameraId, string CameraKind, string GridId, (double Lat, double Lon)? Position);
