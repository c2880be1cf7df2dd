using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Analytics;
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
    VehicleRegistry vehicles,
    AlertMessages alerts) : BackgroundService
{
    private readonly Dictionary<string, CameraOptions> _cameras = cameras.Value.Cameras.ToDictionary(c => c.Id, StringComparer.Ordinal);

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
        var (location, unavailable) = Locate(camera, found.CapturedAt);
        return new Alert
        {
            Id = Guid.CreateVersion7().ToString(),
            CameraId = camera.Id,
            CameraKind = camera.Kind == CameraKind.Patrol ? "patrol" : "fixed",
            GridId = camera.GridId,
            Label = detection.Label,
            Score = Math.Round(detection.Score, 3),
            Box = new AlertBox((int)detection.X1, (int)detection.Y1, (int)MathF.Ceiling(detection.X2), (int)MathF.Ceiling(detection.Y2),
                found.FrameWidth, found.FrameHeight),
            Location = location,
            LocationUnavailableReason = unavailable,
            ObservedAt = found.CapturedAt,
            NodeId = node.Value.Id,
        };
    }

    /// <summary>
    /// A fixed camera's position is configured; a patrol camera is where its vehicle was when the frame was
    /// captured. Without a fix there is no location, and the alert says why rather than pretending 0,0.
    /// </summary>
    private (AlertLocation? Location, string? Unavailable) Locate(CameraOptions camera, DateTime capturedAt)
    {
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
