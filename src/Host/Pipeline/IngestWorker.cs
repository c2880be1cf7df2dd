using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Host.Configuration;
using Surveillance.Ingest;

namespace Surveillance.Host.Pipeline;

/// <summary>
/// Runs one decoder per camera and feeds its frames to the scheduler. Each camera lives in its own task:
/// a camera whose source fails is restarted after a pause and never stops the others.
/// </summary>
public sealed partial class IngestWorker(
    IOptions<CameraSet> cameras,
    IOptions<IngestOptions> ingest,
    LatestFrameScheduler scheduler,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<IngestWorker>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(cameras.Value.Cameras.Select(camera => Task.Run(() => RunCameraAsync(camera, stoppingToken), stoppingToken)));

    private async Task RunCameraAsync(CameraOptions camera, CancellationToken stoppingToken)
    {
        var pool = new FramePool(camera.Id, camera.DetectWidth, camera.DetectHeight);
        var sourceLogger = loggerFactory.CreateLogger<FfmpegFrameSource>();
        var restartDelay = TimeSpan.FromSeconds(ingest.Value.RestartDelaySeconds);
        var redactedUrl = SourceUrl.Parse(camera.Url).Redacted;
        long nextSequence = 0;

        await LogSourceAsync(camera, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            var source = new FfmpegFrameSource(camera, ingest.Value, pool, nextSequence, sourceLogger);
            try
            {
                await foreach (var frame in source.ReadFramesAsync(stoppingToken).ConfigureAwait(false))
                    scheduler.Offer(frame);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (FrameSourceException e)
            {
                LogSourceStopped(camera.Id, e.Message, restartDelay.TotalSeconds);
            }
            catch (Exception e)
            {
                // Whatever went wrong is this camera's problem only; it must not reach the other cameras.
                LogSourceFailed(e, camera.Id, redactedUrl, restartDelay.TotalSeconds);
            }
            finally
            {
                nextSequence = source.NextSequence;
                await source.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(restartDelay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Logs what a local file holds, as FFMpegCore's probe reports it; live streams are not probed.</summary>
    private async Task LogSourceAsync(CameraOptions camera, CancellationToken cancellationToken)
    {
        var source = SourceUrl.Parse(camera.Url);
        if (source.Kind != SourceKind.File)
        {
            LogCameraConfigured(camera.Id, camera.Name, source.Redacted, "live stream");
            return;
        }
        var description = await MediaProbe.DescribeAsync(source, cancellationToken).ConfigureAwait(false);
        LogCameraConfigured(camera.Id, camera.Name, source.Redacted, description);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId} ({CameraName}): {Source}: {Description}")]
    private partial void LogCameraConfigured(string cameraId, string cameraName, string source, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: source stopped: {Reason}; restarting in {DelaySeconds} s")]
    private partial void LogSourceStopped(string cameraId, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: source {Source} failed; restarting in {DelaySeconds} s")]
    private partial void LogSourceFailed(Exception exception, string cameraId, string source, double delaySeconds);
}
