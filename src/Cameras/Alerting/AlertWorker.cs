using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Alerts.Dispatch;
using Surveillance.Alerts.Events;
using Surveillance.Analytics.Geo;
using Surveillance.Analytics.Snapshots;
using Surveillance.Cameras.Inventory;
using Surveillance.Ingest;
using Surveillance.Ingest.Health;
using Surveillance.Ingest.Vehicles;

using Surveillance.Cameras.Analysis;
namespace Surveillance.Cameras.Alerting;

/// <summary>
/// Turns event messages into alerts, geo-tags them, assigns them to a grid, and hands them to MQTT; at an
/// event's end, first its snapshot (the best frame with the object drawn on it, as a JPEG). Drains its queue
/// when the engine stops, so the <c>end</c> of every event gets out.
/// </summary>
public sealed partial class AlertWorker(
    ChannelReader<CameraEvents> results,
    IOptions<CameraSet> cameras,
    IOptions<NodeIdentity> node,
    IOptions<DispatchOptions> dispatch,
    VehicleRegistry vehicles,
    GridMap grids,
    AlertMessages alerts,
    ILogger<AlertWorker> logger) : BackgroundService
{
    public const string UnassignedGrid = "unassigned";

    /// <summary>After the engine is told to stop, how long the queue may take to drain (the detectors end every event first).</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, CameraOptions> _cameras = cameras.Value.Cameras.ToDictionary(c => c.Id, StringComparer.Ordinal);

    private readonly Dictionary<string, GroundProjection> _projections = cameras.Value.Cameras
        .Where(c => c.Calibration is not null)
        .ToDictionary(c => c.Id, c => CameraSet.Project(c.Calibration!), StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not cancelled by stoppingToken: the detection stage completes the queue once it has sent the shutdown ends.
        using var drain = new CancellationTokenSource();
        await using var registration = stoppingToken.Register(() => drain.CancelAfter(DrainTimeout)).ConfigureAwait(false);
        try
        {
            await foreach (var batch in results.ReadAllAsync(drain.Token).ConfigureAwait(false))
            {
                foreach (var item in batch.Items)
                    Handle(item);
                if (batch.AnalysedFrameCapturedAt is { } capturedAt)
                    PipelineMetrics.ObserveCaptureToPublish(capturedAt);
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            LogDrainTimedOut(DrainTimeout.TotalSeconds);
        }
    }

    private void Handle(in EventOutput item)
    {
        var change = item.Change;
        var camera = _cameras[change.CameraId];
        var hasSnapshot = item.HasSnapshot;
        if (item.Snapshot is { } snapshot)
        {
            try
            {
                alerts.PublishSnapshot(camera.Id, change.EventId, Render(snapshot));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                hasSnapshot = false;
                LogSnapshotFailed(e, change.EventId, camera.Id);
            }
            finally
            {
                snapshot.Release();
            }
        }
        alerts.Publish(CreateAlert(camera, change, hasSnapshot));
    }

    private static byte[] Render(EventSnapshot snapshot) =>
        SnapshotRenderer.Render(snapshot.Frame.Pixels, snapshot.Frame.Width, snapshot.Frame.Height, [.. snapshot.Boxes]);

    private Alert CreateAlert(CameraOptions camera, EventChange change, bool hasSnapshot)
    {
        var (location, unavailable) = Locate(camera, change);
        return new Alert
        {
            Id = Guid.CreateVersion7().ToString(),
            Type = WireNames.Of(change.Phase),
            EventId = change.EventId,
            Rule = change.Rule,
            RuleType = WireNames.Of(change.RuleType),
            Severity = WireNames.Of(change.Severity),
            TrackId = change.TrackId,
            Zones = change.Zones,
            Count = change.Count,
            Direction = change.Direction is { } direction ? WireNames.Of(direction) : null,
            StartedAt = change.StartedAt,
            EndedAt = change.EndedAt,
            EndReason = change.EndReason is { } reason ? WireNames.Of(reason) : null,
            TopScore = Math.Round(change.TopScore, 3),
            HasSnapshot = hasSnapshot,
            CameraId = camera.Id,
            CameraKind = Names.Of(camera.Kind),
            GridId = GridOf(camera, location),
            Label = change.Label,
            Score = Math.Round(change.Score, 3),
            Box = AlertBox.From(change.Box, change.FrameWidth, change.FrameHeight),
            Location = location,
            NearbyVehicles = location is null ? [] : NearbyVehicles(location),
            LocationUnavailableReason = unavailable,
            ObservedAt = change.ObservedAt,
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
    private (AlertLocation? Location, string? Unavailable) Locate(CameraOptions camera, EventChange change)
    {
        var capturedAt = change.ObservedAt;
        if (_projections.TryGetValue(camera.Id, out var projection))
        {
            var foot = change.Box.NormalizedFootPoint(change.FrameWidth, change.FrameHeight);
            var ground = projection.Project(foot.X, foot.Y);
            return (new AlertLocation(Math.Round(ground.Lat, 7), Math.Round(ground.Lon, 7), WireNames.Of(LocationSource.GroundProjected)), null);
        }
        if (camera.Kind == CameraKind.Patrol && camera.VehicleId is { } vehicleId)
        {
            if (!vehicles.TryLocate(vehicleId, capturedAt, out var fix))
                return (null, $"no GPS fix received from vehicle {vehicleId}");
            return (new AlertLocation(Math.Round(fix.Lat, 7), Math.Round(fix.Lon, 7), WireNames.Of(LocationSource.VehicleGps))
            {
                VehicleId = vehicleId,
                FixAgeMs = (long)fix.FixAge.TotalMilliseconds,
                Stale = fix.Stale,
            }, null);
        }
        return camera.Latitude is { } lat && camera.Longitude is { } lon
            ? (new AlertLocation(lat, lon, WireNames.Of(LocationSource.Camera)), null)
            : (null, "the camera has no configured position");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot of event {EventId} on camera {CameraId} could not be made")]
    private partial void LogSnapshotFailed(Exception exception, string eventId, string cameraId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped before every event message was handed to MQTT (waited {Seconds} s)")]
    private partial void LogDrainTimedOut(double seconds);
}
