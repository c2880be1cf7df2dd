using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Alerts.Events;
using Surveillance.Analytics;
using Surveillance.Ingest;

namespace Surveillance.Host.Pipeline;

/// <summary>
/// Runs <see cref="DetectorOptions.Workers"/> detectors, each taking the newest frame of the next camera in
/// turn. The camera's motion gate decides first whether the detector runs at all; after detection the
/// camera's tracker and rules take the result, and the event messages they produce go to the alert stage.
/// When the engine stops, every open event is ended.
/// </summary>
public sealed partial class DetectionWorker(
    IOptions<DetectorOptions> options,
    LatestFrameScheduler scheduler,
    CameraAnalyses cameras,
    ChannelWriter<CameraEvents> results,
    TimeProvider time,
    ILogger<DetectionWorker> logger) : BackgroundService
{
    /// <summary>How long the last messages (the shutdown ends) may wait for room in the alert stage's queue.</summary>
    private static readonly TimeSpan FinalWriteTimeout = TimeSpan.FromSeconds(5);

    private readonly List<OnnxObjectDetector> _detectors = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<CameraEvents> _unsent = new();

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
            await EndEveryEventAsync().ConfigureAwait(false);
            results.TryComplete();
        }
    }

    private async Task RunAsync(IObjectDetector detector, CancellationToken stoppingToken)
    {
        var output = new List<EventOutput>();
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

            var camera = cameras[frame.CameraId];
            try
            {
                if (camera.ShouldDetect(frame, output))
                {
                    var detections = detector.Detect(frame.Pixels, frame.Width, frame.Height);
                    PipelineMetrics.FramesAnalysed.WithLabels(frame.CameraId).Inc();
                    camera.Observe(frame, detections, output);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One frame the detector cannot handle must not stop detection for every camera.
                LogDetectionFailed(e, frame.CameraId, frame.Sequence);
            }
            finally
            {
                frame.Release();
            }

            if (output.Count == 0)
                continue;
            var batch = new CameraEvents(camera.CameraId, [.. output]);
            output.Clear();
            try
            {
                await results.WriteAsync(batch, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping while the alert stage's queue is full: these go out with the shutdown ends.
                _unsent.Enqueue(batch);
                return;
            }
        }
    }

    /// <summary>The engine is stopping: every open event ends now, so that none is left without its <c>end</c>.</summary>
    private async Task EndEveryEventAsync()
    {
        var batches = new List<CameraEvents>(_unsent);
        foreach (var camera in cameras.All)
        {
            var output = new List<EventOutput>();
            camera.EndAll(EventEndReason.Shutdown, time.GetUtcNow().UtcDateTime, output);
            if (output.Count > 0)
                batches.Add(new CameraEvents(camera.CameraId, [.. output]));
        }

        using var timeout = new CancellationTokenSource(FinalWriteTimeout);
        foreach (var batch in batches)
        {
            try
            {
                await results.WriteAsync(batch, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                Discard(batch);
                LogEndsLost(batch.CameraId, batch.Items.Length);
            }
        }
    }

    private static void Discard(CameraEvents batch)
    {
        foreach (var item in batch.Items)
            item.Snapshot?.Release();
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: {Count} event message(s) at shutdown could not reach the alert stage")]
    private partial void LogEndsLost(string cameraId, int count);
}
