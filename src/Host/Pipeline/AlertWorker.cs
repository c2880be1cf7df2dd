using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Analytics;
using Surveillance.Host.Configuration;
using Surveillance.Ingest;

namespace Surveillance.Host.Pipeline;

/// <summary>Turns detections into alerts with the cooldown rule and hands them to MQTT.</summary>
public sealed class AlertWorker(
    ChannelReader<FrameDetections> results,
    IOptions<CameraSet> cameras,
    IOptions<AlertOptions> alertOptions,
    IOptions<NodeIdentity> node,
    AlertMessages alerts) : BackgroundService
{
    private readonly Dictionary<string, AlertSource> _sources = cameras.Value.Cameras.ToDictionary(
        c => c.Id,
        c => new AlertSource(c.Id, c.Kind == CameraKind.Patrol ? "patrol" : "fixed", c.GridId,
            c.Latitude is { } lat && c.Longitude is { } lon ? (lat, lon) : null),
        StringComparer.Ordinal);

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
        var source = _sources[found.CameraId];
        foreach (var detection in found.Detections)
        {
            PipelineMetrics.Detections.WithLabels(found.CameraId, detection.Label).Inc();
            if (_rule.TryAdmit(found.CameraId, detection.Label, found.CapturedAt))
                alerts.Publish(CreateAlert(source, found, detection));
        }
    }

    private Alert CreateAlert(AlertSource source, in FrameDetections found, in Detection detection) => new()
    {
        Id = Guid.CreateVersion7().ToString(),
        CameraId = source.CameraId,
        CameraKind = source.CameraKind,
        GridId = source.GridId,
        Label = detection.Label,
        Score = Math.Round(detection.Score, 3),
        Box = new AlertBox((int)detection.X1, (int)detection.Y1, (int)MathF.Ceiling(detection.X2), (int)MathF.Ceiling(detection.Y2),
            found.FrameWidth, found.FrameHeight),
        Location = source.Position is { } p ? new AlertLocation(p.Lat, p.Lon, AlertLocation.CameraSource) : null,
        ObservedAt = found.CapturedAt,
        NodeId = node.Value.Id,
    };
}
