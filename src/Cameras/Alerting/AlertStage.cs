using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Alerts.Dispatch;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Reviews;
using Surveillance.Analytics.Snapshots;
using Surveillance.Cameras.Analysis;
using Surveillance.Ingest;
using Surveillance.Ingest.Health;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Cameras.Alerting;

/// <summary>
/// The node's alert stage: turns every camera's event messages into alerts, geo-tags them with the camera's locator,
/// assigns them to the grid that contains the object, and hands them to MQTT; at an event's end, first its snapshot
/// (the best frame with the object drawn on it, as a JPEG). Each goes to the node's review book too, which may
/// hold an event back first (its rule is muted on the camera). Drains its queue when the engine stops, so the <c>end</c>
/// of every event gets out.
/// </summary>
public sealed partial class AlertStage(
    ChannelReader<CameraEvents> results,
    IOptions<NodeIdentity> node,
    IOptions<DispatchOptions> dispatch,
    VehicleRegistry vehicles,
    GridMap grids,
    AlertMessages alerts,
    ReviewBook reviews,
    PipelineMetrics metrics,
    ILogger<AlertStage> logger) : BackgroundService
{
    public const string UnassignedGrid = "unassigned";

    /// <summary>After the engine is told to stop, how long the queue may take to drain (the cameras and detectors stop first).</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not cancelled by stoppingToken: the detector pool completes the queue once the cameras have sent their last ends.
        using var drain = new CancellationTokenSource();
        await using var registration = stoppingToken.Register(() => drain.CancelAfter(DrainTimeout)).ConfigureAwait(false);
        try
        {
            await foreach (var batch in results.ReadAllAsync(drain.Token).ConfigureAwait(false))
            {
                foreach (var item in batch.Items)
                    Handle(batch.Camera, item);
                if (batch.AnalysedFrameCapturedAt is { } capturedAt)
                    metrics.ObserveCaptureToPublish(capturedAt);
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            LogDrainTimedOut(DrainTimeout.TotalSeconds);
        }
    }

    private void Handle(CameraPipeline camera, in EventOutput item)
    {
        var change = item.Change;
        if (!reviews.Admit(camera.Id, change.EventId, change.Rule, change.StartedAt, change.Phase == EventPhase.New, change.Phase == EventPhase.End))
        {
            item.Snapshot?.Release();
            return;
        }
        var hasSnapshot = item.HasSnapshot;
        if (item.Snapshot is { } snapshot)
        {
            try
            {
                var jpeg = Render(snapshot);
                alerts.PublishSnapshot(camera.Id, change.EventId, jpeg);
                reviews.RecordSnapshot(change.EventId, jpeg);
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
        var alert = CreateAlert(camera, change, hasSnapshot);
        // Counted here rather than where the event opens: only here is its grid known.
        if (change.Phase == EventPhase.New)
            camera.Metrics.EventsStarted(change.Rule, alert.GridId).Inc();
        var published = alert with { Seq = alerts.Publish(alert) };
        reviews.Record(published, AlertJson.Serialize(published));
    }

    private static byte[] Render(EventSnapshot snapshot) =>
        SnapshotRenderer.Render(snapshot.Frame.Pixels, snapshot.Frame.Width, snapshot.Frame.Height, [.. snapshot.Boxes]);

    private Alert CreateAlert(CameraPipeline pipeline, EventChange change, bool hasSnapshot)
    {
        var camera = pipeline.Options;
        var (location, unavailable) = pipeline.Locator.Locate(change);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot of event {EventId} on camera {CameraId} could not be made")]
    private partial void LogSnapshotFailed(Exception exception, string eventId, string cameraId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped before every event message was handed to MQTT (waited {Seconds} s)")]
    private partial void LogDrainTimedOut(double seconds);
}
