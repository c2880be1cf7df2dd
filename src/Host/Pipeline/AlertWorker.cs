using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Alerts.Dispatch;
using Surveillance.Analytics;
using Surveillance.Analytics.Geo;
using Surveillance.Host.Configuration;
using Surveillance.Ingest;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Host.Pipeline;

/// <summary>Turns detections into alerts with the cooldown rule and hands them to MQTT.</summary>
public sealed class AlertWorker(
    ChannelReader<FrameDetections> results,
    IOptions<CameraSet> cameras,
    IOptions<AlertOptions> alertOptions,
    IOptions<NodeIdentity> node,
    IOptions<DispatchOptions> dispatch,
    VehicleRegistry vehicles,
    GridMap grids,
    AlertMessages alerts) : BackgroundService
{
    public const string UnassignedGrid = "unassigned";

    private readonly Dictionary<string, CameraOptions> _cameras = cameras.Value.Cameras.ToDictionary(c => c.Id, StringComparer.Ordinal);

    private readonly Dictionary<string, GroundProjection> _projections = cameras.Value.Cameras
        .Where(c => c.Calibration is not null)
        .ToDictionary(c => c.Id, c => CameraSet.Project(c.Calibration!), StringComparer.Ordinal);

    private readonly CooldownAlertRule _rule = new(TimeSpan.FromSeconds(alertOptions.Value.CooldownSeconds));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var found in results.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    Handle(found);
                }
                finally
                {
                    found.Return();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Handle(in FrameDetections found)
    {
        var camera = _cameras[found.CameraId];
        foreach (var detection in found.Detections)
        {
            PipelineMetrics.Detections.WithLabels(found.CameraId, detection.Label).Inc();
            if (_rule.TryAdmit(found.CameraId, detection.Label, found.CapturedAt))
                alerts.Publish(CreateAlert(camera, found, detection));
        }
    }

    private Alert CreateAlert(CameraOptions camera, in FrameDetections found, in Detection detection)
    {
        var (location, unavailable) = Locate(camera, found, detection);
        return new Alert
        {
            Id = Guid.CreateVersion7().ToString(),
            CameraId = camera.Id,
            CameraKind = camera.Kind == CameraKind.Patrol ? "patrol" : "fixed",
            GridId = GridOf(camera, location),
            Label = detection.Label,
            Score = Math.Round(detection.Score, 3),
            Box = new AlertBox((int)detection.X1, (int)detection.Y1, (int)MathF.Ceiling(detection.X2), (int)MathF.Ceiling(detection.Y2),
                found.FrameWidth, found.FrameHeight),
            Location = location,
            NearbyVehicles = location is null ? [] : NearbyVehicles(location),
            LocationUnavailableReason = unavailable,
            ObservedAt = found.CapturedAt,
            NodeId = node.Value.Id,
        };
    }

    /// <summary>The grid that contains the object; else the camera's own grid; else <c>unassigned</c>.</summary>
    private string GridOf(CameraOptions camera, AlertLocation? location) =>
        (location is null ? null : grids.Locate(location.Lat, location.Lon))
        ?? (string.IsNullOrEmpty(camera.GridId) ? UnassignedGrid : camera.GridId);

    private AlertVehicle[] NearbyVehicles(AlertLocation location)
    {
        var settings = dispatch.Value;
        if (settings.NearbyVehicleCount == 0)
            return [];
        return [.. vehicles.Nearest(location.Lat, location.Lon, settings.NearbyVehicleRadiusMetres,
                TimeSpan.FromSeconds(settings.NearbyVehicleMaxFixAgeSeconds), settings.NearbyVehicleCount)
            .Select(v => new AlertVehicle(v.VehicleId, Math.Round(v.DistanceMetres, 1), (long)v.FixAge.TotalMilliseconds))];
    }

    /// <summary>
    /// A calibrated camera places the object where its box touches the ground (bottom centre); an
    /// uncalibrated fixed camera gives its own position; a patrol camera is where its vehicle was when the
    /// frame was captured. Without a fix there is no location, and the alert says why rather than pretending 0,0.
    /// </summary>
    private (AlertLocation? Location, string? Unavailable) Locate(CameraOptions camera, in FrameDetections found, in Detection detection)
    {
        var capturedAt = found.CapturedAt;
        if (_projections.TryGetValue(camera.Id, out var projection))
        {
            var ground = projection.Project((detection.X1 + detection.X2) / 2 / found.FrameWidth, detection.Y2 / found.FrameHeight);
            return (new AlertLocation(Math.Round(ground.Lat, 7), Math.Round(ground.Lon, 7), AlertLocation.GroundProjectedSource), null);
        }
        if (camera.Kind == CameraKind.Patrol && camera.VehicleId is { } vehicleId)
        {
            if (!vehicles.TryLocate(vehicleId, capturedAt, out var fix))
                return (null, $"no GPS fix received from vehicle {vehicleId}");
            return (new AlertLocation(Math.Round(fix.Lat, 7), Math.Round(fix.Lon, 7), AlertLocation.VehicleGpsSource)
            {
                VehicleId = vehicleId,
                FixAgeMs = (long)fix.FixAge.TotalMilliseconds,
                Stale = fix.Stale,
            }, null);
        }
        return camera.Latitude is { } lat && camera.Longitude is { } lon
            ? (new AlertLocation(lat, lon, AlertLocation.CameraSource), null)
            : (null, "the camera has no configured position");
    }
}
