using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Surveillance.Alerts.Events;
using Surveillance.Ingest.Health;

using Surveillance.Cameras.Analysis;
using Surveillance.Cameras.Alerting;
namespace Surveillance.Cameras.Status;

/// <summary>
/// Ends a camera's events when its stream goes offline. No frames arrive from an offline camera, so nothing
/// else would ever end them; its tracks and motion history are dropped too, since the picture after the
/// reconnection is not a continuation.
/// </summary>
public sealed partial class CameraOfflineWatcher(
    IngestWorker ingest,
    CameraAnalyses cameras,
    ChannelWriter<CameraEvents> results,
    TimeProvider time,
    ILogger<CameraOfflineWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>Ends once taken from the book must get out even while stopping, so their write is not tied to the stopping token.</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var (cameraId, supervisor) in ingest.Supervisors)
                {
                    var camera = cameras[cameraId];
                    if (supervisor.Health.Snapshot().State != CameraState.Offline || camera.IsIdle)
                        continue;
                    var output = new List<EventOutput>();
                    camera.EndAll(EventEndReason.Offline, time.GetUtcNow().UtcDateTime, output);
                    LogEndedOffline(cameraId, output.Count);
                    if (output.Count > 0)
                    {
                        using var timeout = new CancellationTokenSource(WriteTimeout);
                        await results.WriteAsync(new CameraEvents(cameraId, [.. output]), timeout.Token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the detection stage ends whatever is still open.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId} is offline: its tracks were dropped and {Messages} event message(s) sent")]
    private partial void LogEndedOffline(string cameraId, int messages);
}
