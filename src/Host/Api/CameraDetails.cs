using System.Text.Json.Nodes;
using Surveillance.Cameras.Control;

namespace Surveillance.Host.Api;

/// <summary>What <c>GET /api/cameras/{id}</c> answers: the camera's view and its settings as an inventory record, credentials redacted.</summary>
public sealed record CameraDetails(
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
    double? Longitude,
    JsonObject? Settings)
{
    public static CameraDetails Of(CameraView view, JsonObject? settings) => new(
        view.Id, view.Name, view.Kind, view.GridId, view.Enabled, view.State, view.Grade, view.Fps, view.LastFrameAt, view.NodeId,
        view.Latitude, view.Longitude, settings);
}
