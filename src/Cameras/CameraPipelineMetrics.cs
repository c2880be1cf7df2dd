using System.Collections.Concurrent;
using Prometheus;

namespace Surveillance.Cameras;

/// <summary>
/// One camera's series of the <see cref="PipelineMetrics"/>, held by whoever owns the camera's pipeline. The
/// series labelled by more than the camera (detections by label, events by rule and grid) are made on first use and
/// remembered, so that <see cref="Remove"/> finds them all.
/// </summary>
public sealed class CameraPipelineMetrics
{
    private readonly PipelineMetrics _metrics;
    private readonly ConcurrentDictionary<string, Counter.Child> _detections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Rule, string Grid), Counter.Child> _eventsStarted = new();

    internal CameraPipelineMetrics(PipelineMetrics metrics, string cameraId)
    {
        _metrics = metrics;
        CameraId = cameraId;
        FramesDropped = metrics.FramesDropped.WithLabels(cameraId);
        FramesAnalysed = metrics.FramesAnalysed.WithLabels(cameraId);
        FramesSkipped = metrics.FramesSkipped.WithLabels(cameraId);
        RegionsDetected = metrics.RegionsDetected.WithLabels(cameraId);
        SkippedRatio = metrics.SkippedRatio.WithLabels(cameraId);
        FramesOutOfOrder = metrics.FramesOutOfOrder.WithLabels(cameraId);
        Tracks = metrics.Tracks.WithLabels(cameraId);
        EventsOpen = metrics.EventsOpen.WithLabels(cameraId);
    }

    public string CameraId { get; }

    public Counter.Child FramesDropped { get; }

    public Counter.Child FramesAnalysed { get; }

    public Counter.Child FramesSkipped { get; }

    public Counter.Child RegionsDetected { get; }

    public Gauge.Child SkippedRatio { get; }

    public Counter.Child FramesOutOfOrder { get; }

    public Gauge.Child Tracks { get; }

    public Gauge.Child EventsOpen { get; }

    /// <summary>The camera's count of objects found with <paramref name="label"/>; keep it rather than asking per detection.</summary>
    public Counter.Child Detections(string label) =>
        _detections.GetOrAdd(label, static (l, self) => self._metrics.Detections.WithLabels(self.CameraId, l), this);

    /// <summary>The camera's count of events raised by <paramref name="rule"/> and routed to <paramref name="grid"/>.</summary>
    public Counter.Child EventsStarted(string rule, string grid) =>
        _eventsStarted.GetOrAdd((rule, grid), static (key, self) => self._metrics.EventsStarted.WithLabels(self.CameraId, key.Rule, key.Grid), this);

    /// <inheritdoc cref="PipelineMetrics.ObserveCaptureToPublish"/>
    public void ObserveCaptureToPublish(DateTime capturedAt) => _metrics.ObserveCaptureToPublish(capturedAt);

    /// <summary>
    /// Takes every series of the camera out of the registry, so that a camera that left is not scraped on with
    /// its last values. Whatever still holds them afterwards counts into nothing.
    /// </summary>
    public void Remove()
    {
        FramesDropped.Remove();
        FramesAnalysed.Remove();
        FramesSkipped.Remove();
        RegionsDetected.Remove();
        SkippedRatio.Remove();
        FramesOutOfOrder.Remove();
        Tracks.Remove();
        EventsOpen.Remove();
        foreach (var child in _detections.Values)
            child.Remove();
        foreach (var child in _eventsStarted.Values)
            child.Remove();
    }
}
