namespace Surveillance.Cameras.Control;

/// <summary>
/// A camera as the control API lists it: identity, place, health now, and the node that runs it (none: no node of the
/// cluster has room for it). Never carries its URL.
/// </summary>
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
    string? NodeId);
