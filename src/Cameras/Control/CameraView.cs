namespace Surveillance.Cameras.Control;

/// <summary>
/// A camera as the control API lists it: identity, place, health now, and the node that runs it (none: no node of the
/// cluster has room for it). Never carries its URL.
/// </summary>
/// <param name="Latitude">Where the camera stands (WGS84), as its record says; null where it has no fixed position (a patrol camera).</param>
public sealed record CameraView(
    string Id,
    string Name,
    string Kind,
    string? GridId,
    bool Enabled,
    string State,
    string Grade,
    double Fps,
    DateTime? LastFrameAt,
    string? NodeId,
    double? Latitude,
    double? Longitude);
