using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Analytics;
using Surveillance.Cameras.Alerting;
using Surveillance.Cameras.Analysis;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Detectors;

/// <summary>
/// The node's <see cref="DetectorOptions.Workers"/> detectors, shared by every camera. Each takes the newest frame
/// of the next camera in turn from the <see cref="FrameScheduler{TCamera}"/>; the camera's motion gate decides
/// first whether the detector runs at all; after detection the camera's analysis takes the result, and the event
/// messages it produces go to the alert stage. A batch takes what is waiting now, from different cameras.
/// </summary>
/// <remarks>
/// Each detector has a thread of its own. A model run blocks for its whole length (on a CPU, 100-300 ms), and on
/// thread-pool threads the detectors held every pool thread of a small machine: the alert stage, MQTT and the
/// next frame's hand-over then waited for the pool to grow, and the latency tail with them.
/// </remarks>
public sealed partial class DetectorPool(
    IOptions<DetectorOptions> options,
    FrameScheduler<CameraPipeline> scheduler,
    ChannelWriter<CameraEvents> results,
    PipelineMetrics metrics,
    AnalyticsMetrics analyticsMetrics,
    ILogger<DetectorPool> logger) : BackgroundService
{
    private readonly List<DetectorWorker> _detectors = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Models load here, not on first frame, so a bad model stops the engine at start with a clear reason.
        var settings = options.Value;
        var loading = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            for (var i = 0; i < settings.EffectiveWorkers; i++)
                _detectors.Add(new DetectorWorker(settings, analyticsMetrics));
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
        LogDetectorsLoaded(settings.EffectiveWorkers, _detectors[0].Whole.Family, settings.Model, settings.ExecutionProvider, settings.EffectiveThreads,
            settings.BatchSize, classes, settings.ScoreThreshold, loadSeconds);
        if (settings.Regions)
            LogRegions(settings.RegionModel, _detectors[0].MaxRegions, settings.FullFrameInterval.TotalSeconds);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var closing = stoppingToken.Register(scheduler.Close).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_detectors.Select((d, i) => RunOnOwnThread(d, i))).ConfigureAwait(false);
        }
        finally
        {
            // The cameras have stopped (they stop before the detectors) and sent their last ends: nothing more comes.
            results.TryComplete();
        }
    }

    private Task RunOnOwnThread(DetectorWorker detector, int index)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(detector);
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

    private void Run(DetectorWorker detector)
    {
        var output = new List<EventOutput>();
        var slots = new FrameSlot<CameraPipeline>[detector.Whole.BatchCapacity];
        var frames = new Frame[detector.Whole.BatchCapacity];
        while (scheduler.Take(out var slot, out var frame))
            RunBatch(detector, slot, frame, slots, frames, output);
    }

    /// <summary>
    /// One batch, from the frame taken to the events sent. A method of its own, never inlined: the cameras it handles
    /// live in its frame, which is gone while the detector waits for the next one. Inline, a stack slot of the waiting
    /// loop kept the last camera, and a camera removed from the inventory was never collected.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void RunBatch(DetectorWorker detector, FrameSlot<CameraPipeline> slot, Frame frame, FrameSlot<CameraPipeline>[] slots, Frame[] frames,
        List<EventOutput> output)
    {
        var count = 0;
        do
        {
            switch (Prepare(detector, slot.Camera, frame, count, output))
            {
                case DetectionPlan.WholeFrame:
                    slots[count] = slot;
                    frames[count++] = frame;
                    break;
                case DetectionPlan.Regions:
                    // At once, not batched: the region model takes one region per run.
                    DetectRegions(detector, slot, frame, output);
                    break;
                default:
                    frame.Release();
                    scheduler.Done(slot);
                    break;
            }
            Send(slot.Camera, output, null);
        }
        while (count < frames.Length && scheduler.TryTake(out slot, out frame));

        if (count > 0)
            Detect(detector, slots, frames, count, output);
    }

    /// <summary>Passes the frame through its camera's motion gate and region plan and, if it is to be detected whole, loads it into the batch.</summary>
    private DetectionPlan Prepare(DetectorWorker detector, CameraPipeline camera, Frame frame, int slot, List<EventOutput> output)
    {
        try
        {
            var plan = detector.Plan(camera.Analysis, frame, output);
            if (plan == DetectionPlan.WholeFrame)
                detector.Whole.Load(slot, frame.Pixels, frame.Width, frame.Height);
            return plan;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One frame the detector cannot handle must not stop detection for every camera.
            LogDetectionFailed(e, camera.Id, frame.Sequence);
            return DetectionPlan.Skip;
        }
    }

    private void DetectRegions(DetectorWorker detector, FrameSlot<CameraPipeline> slot, Frame frame, List<EventOutput> output)
    {
        var camera = slot.Camera;
        var capturedAt = frame.CapturedAt;
        var detected = false;
        try
        {
            camera.Analysis.Observe(frame, detector.DetectRegions(frame), output);
            camera.Metrics.FramesAnalysed.Inc();
            camera.Metrics.RegionsDetected.Inc(detector.Regions.Length);
            detected = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDetectionFailed(e, camera.Id, frame.Sequence);
        }
        finally
        {
            frame.Release();
            scheduler.Done(slot);
        }
        if (!detected)
            return;
        if (output.Count == 0)
            metrics.ObserveCaptureToPublish(capturedAt);
        else
            Send(camera, output, capturedAt);
    }

    private void Detect(DetectorWorker worker, FrameSlot<CameraPipeline>[] slots, Frame[] frames, int count, List<EventOutput> output)
    {
        var detector = worker.Whole;
        Exception? failure = null;
        try
        {
            detector.Run(count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failure = e;
        }

        for (var i = 0; i < count; i++)
        {
            var camera = slots[i].Camera;
            var frame = frames[i];
            var capturedAt = frame.CapturedAt;
            try
            {
                if (failure is not null)
                {
                    LogDetectionFailed(failure, camera.Id, frame.Sequence);
                    continue;
                }
                camera.Analysis.Observe(frame, detector.Results(i), output);
                camera.Metrics.FramesAnalysed.Inc();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDetectionFailed(e, camera.Id, frame.Sequence);
            }
            finally
            {
                frame.Release();
                frames[i] = null!;
                scheduler.Done(slots[i]);
                slots[i] = null!;
            }
            if (failure is not null)
                continue;
            if (output.Count == 0)
                metrics.ObserveCaptureToPublish(capturedAt);
            else
                Send(camera, output, capturedAt);
        }
    }

    /// <summary>Hands a camera's new event messages to the alert stage, waiting (on the detector's thread) while its queue is full.</summary>
    private void Send(CameraPipeline camera, List<EventOutput> output, DateTime? capturedAt)
    {
        if (output.Count == 0)
            return;
        var events = new CameraEvents(camera, [.. output], capturedAt);
        output.Clear();
        try
        {
            if (!results.TryWrite(events))
                results.WriteAsync(events).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            foreach (var item in events.Items)
                item.Snapshot?.Release();
            LogEndsLost(camera.Id, events.Items.Length);
        }
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

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Regions: frames are detected in regions through {RegionModel} (at most {MaxRegions} per frame, cheaper than a whole frame), every camera's frame whole at least every {Seconds:0.#} s")]
    private partial void LogRegions(string regionModel, int maxRegions, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: detection failed on frame {Sequence}")]
    private partial void LogDetectionFailed(Exception exception, string cameraId, long sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: {Count} event message(s) could not reach the alert stage")]
    private partial void LogEndsLost(string cameraId, int count);
}
