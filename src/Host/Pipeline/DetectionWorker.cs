using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Analytics;
using Surveillance.Host.Configuration;
using Surveillance.Ingest;

namespace Surveillance.Host.Pipeline;

/// <summary>
/// Runs <see cref="DetectorOptions.Workers"/> detectors, each taking the newest frame of the next camera in
/// turn and passing what it found to the alert stage.
/// </summary>
public sealed partial class DetectionWorker(
    IOptions<DetectorOptions> options,
    LatestFrameScheduler scheduler,
    ChannelWriter<FrameDetections> results,
    ILogger<DetectionWorker> logger) : BackgroundService
{
    private readonly List<OnnxObjectDetector> _detectors = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Models load here, not on first frame, so a bad model stops the engine at start with a clear reason.
        var settings = options.Value;
        try
        {
            for (var i = 0; i < settings.Workers; i++)
                _detectors.Add(new OnnxObjectDetector(settings));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"Detector:Model: '{settings.Model}' could not be loaded: {e.Message}", e);
        }
        var classes = string.Join(", ", settings.EffectiveClasses);
        LogDetectorsLoaded(settings.Workers, _detectors[0].Family, settings.Model, settings.EffectiveThreads, classes, settings.ScoreThreshold);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(_detectors.Select(d => Task.Run(() => RunAsync(d, stoppingToken), stoppingToken))).ConfigureAwait(false);
        }
        finally
        {
            results.TryComplete();
        }
    }

    private async Task RunAsync(IObjectDetector detector, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Frame frame;
            try
            {
                frame = await scheduler.TakeAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            FrameDetections found;
            try
            {
                var detections = detector.Detect(frame.Pixels, frame.Width, frame.Height);
                var items = FrameDetections.Rent(detections.Length);
                detections.CopyTo(items);
                found = new FrameDetections(frame.CameraId, frame.Sequence, frame.CapturedAt, frame.Width, frame.Height, items, detections.Length);
                PipelineMetrics.FramesAnalysed.WithLabels(frame.CameraId).Inc();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One frame the detector cannot handle must not stop detection for every camera.
                LogDetectionFailed(e, frame.CameraId, frame.Sequence);
                continue;
            }
            finally
            {
                frame.Release();
            }

            try
            {
                await results.WriteAsync(found, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                found.Return();
                return;
            }
        }
    }

    public override void Dispose()
    {
        foreach (var detector in _detectors)
            detector.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Workers} detector(s) loaded: {Family} from {Model}, {Threads} thread(s) each, classes [{Classes}], score >= {Threshold}")]
    private partial void LogDetectorsLoaded(int workers, ModelFamily family, string model, int threads, string classes, float threshold);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: detection failed on frame {Sequence}")]
    private partial void LogDetectionFailed(Exception exception, string cameraId, long sequence);
}
