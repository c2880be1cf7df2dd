using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Alerts.Events;
using Surveillance.Analytics;
using Surveillance.Ingest;

using Surveillance.Cameras.Analysis;
using Surveillance.Cameras.Alerting;
namespace Surveillance.Cameras.Detectors;

/// <summary>
/// Runs <see cref="DetectorOptions.Workers"/> detectors, each taking the newest frame of the next camera in
/// turn. The camera's motion gate decides first whether the detector runs at all; after detection the
/// camera's tracker and rules take the result, and the event messages they produce go to the alert stage.
/// When the engine stops, every open event is ended.
/// </summary>
/// <remarks>
/// Each detector has a thread of its own. A model run blocks for its whole length (on a CPU, 100-300 ms), and on
/// thread-pool threads the detectors held every pool thread of a small machine: the alert stage, MQTT and the
/// next frame's hand-over then waited for the pool to grow, and the latency tail with them.
/// </remarks>
public sealed partial class DetectionWorker(
    IOptions<DetectorOptions> options,
    LatestFrameScheduler scheduler,
    CameraAnalyses cameras,
    ChannelWriter<CameraEvents> results,
    TimeProvider time,
    AnalyticsMetrics analyticsMetrics,
    PipelineMetrics pipelineMetrics,
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
        var loading = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            for (var i = 0; i < settings.EffectiveWorkers; i++)
                _detectors.Add(new OnnxObjectDetector(settings, analyticsMetrics));
        }
        catch (DetectorSettingException)
        {
            // Already names the setting at fault (execution provider, batch size).
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"Detector:Model: '{settings.Model}' could not be loaded: {e.Message}", e);
        }
        var loadSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(loading).TotalSeconds;
        var classes = string.Join(", ", settings.EffectiveClasses);
        LogDetectorsLoaded(settings.EffectiveWorkers, _detectors[0].Family, settings.Model, settings.ExecutionProvider, settings.EffectiveThreads,
            settings.BatchSize, classes, settings.ScoreThreshold, loadSeconds);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(_detectors.Select((d, i) => RunOnOwnThread(d, i, stoppingToken))).ConfigureAwait(false);
        }
        finally
        {
            await EndEveryEventAsync().ConfigureAwait(false);
            results.TryComplete();
        }
    }

    private Task RunOnOwnThread(IObjectDetector detector, int index, CancellationToken stoppingToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(detector, stoppingToken);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"detector {index}",
        };
        thread.Start();
        return done.Task;
    }

    private void Run(IObjectDetector detector, CancellationToken stoppingToken)
    {
        var output = new List<EventOutput>();
        var batch = new Frame[detector.BatchCapacity];
        while (!stoppingToken.IsCancellationRequested)
        {
            Frame frame;
            try
            {
                frame = scheduler.Take(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // A batch takes what is waiting now, from different cameras in turn; it never waits to fill up.
            var count = 0;
            do
            {
                if (Prepare(detector, frame, count, output))
                    batch[count++] = frame;
                else
                    frame.Release();
                if (!Send(frame.CameraId, output, null, stoppingToken))
                {
                    ReleaseAll(batch, count);
                    return;
                }
            }
            while (count < batch.Length && scheduler.TryTake(out frame));

            if (count > 0 && !Detect(detector, batch, count, output, stoppingToken))
                return;
        }
    }

    /// <summary>Passes the frame through its camera's motion gate and, if it is to be detected, loads it into the batch.</summary>
    private bool Prepare(IObjectDetector detector, Frame frame, int slot, List<EventOutput> output)
    {
        try
        {
            if (!cameras[frame.CameraId].ShouldDetect(frame, output))
                return false;
            detector.Load(slot, frame.Pixels, frame.Width, frame.Height);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One frame the detector cannot handle must not stop detection for every camera.
            LogDetectionFailed(e, frame.CameraId, frame.Sequence);
            return false;
        }
    }

    /// <returns>False when the engine is stopping.</returns>
    private bool Detect(IObjectDetector detector, Frame[] batch, int count, List<EventOutput> output, CancellationToken stoppingToken)
    {
        try
        {
            detector.Run(count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            for (var slot = 0; slot < count; slot++)
                LogDetectionFailed(e, batch[slot].CameraId, batch[slot].Sequence);
            ReleaseAll(batch, count);
            return true;
        }

        for (var slot = 0; slot < count; slot++)
        {
            var frame = batch[slot];
            var capturedAt = frame.CapturedAt;
            try
            {
                cameras[frame.CameraId].Observe(frame, detector.Results(slot), output);
                pipelineMetrics.FramesAnalysed.WithLabels(frame.CameraId).Inc();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDetectionFailed(e, frame.CameraId, frame.Sequence);
            }
            finally
            {
                frame.Release();
                batch[slot] = null!;
            }
            if (output.Count == 0)
                pipelineMetrics.ObserveCaptureToPublish(capturedAt);
            else if (!Send(frame.CameraId, output, capturedAt, stoppingToken))
            {
                ReleaseAll(batch.AsSpan(slot + 1, count - slot - 1));
                return false;
            }
        }
        return true;
    }

    /// <summary>Hands a camera's new event messages to the alert stage, waiting (on the detector's thread) while its queue is full.</summary>
    /// <returns>False when the engine is stopping (the messages then go out with the shutdown ends).</returns>
    private bool Send(string cameraId, List<EventOutput> output, DateTime? capturedAt, CancellationToken stoppingToken)
    {
        if (output.Count == 0)
            return true;
        var events = new CameraEvents(cameraId, [.. output], capturedAt);
        output.Clear();
        try
        {
            if (!results.TryWrite(events))
                results.WriteAsync(events, stoppingToken).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException)
        {
            _unsent.Enqueue(events);
            return false;
        }
    }

    private static void ReleaseAll(Frame[] batch, int count) => ReleaseAll(batch.AsSpan(0, count));

    private static void ReleaseAll(Span<Frame> frames)
    {
        foreach (ref var frame in frames)
        {
            frame?.Release();
            frame = null!;
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
        Message = "{Workers} detector(s) loaded: {Family} from {Model} on {Provider}, {Threads} thread(s) each, batches of up to {BatchSize}, classes [{Classes}], score >= {Threshold}; loaded and run once for every batch size in {Seconds:0.0} s")]
    private partial void LogDetectorsLoaded(int workers, ModelFamily family, string model, ExecutionProvider provider, int threads, int batchSize,
        string classes, float threshold, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: detection failed on frame {Sequence}")]
    private partial void LogDetectionFailed(Exception exception, string cameraId, long sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: {Count} event message(s) at shutdown could not reach the alert stage")]
    private partial void LogEndsLost(string cameraId, int count);
}
