using Prometheus;

using Surveillance.Cameras.Analysis;
namespace Surveillance.Cameras;

/// <summary>Prometheus metrics of the flow between stages, in the registry of the engine whose factory built them.</summary>
public sealed class PipelineMetrics
{
    private readonly Histogram _captureToPublish;

    public PipelineMetrics(IMetricFactory factory)
    {
        FramesDropped = factory.CreateCounter(
            "surveillance_frames_dropped_total",
            "Frames discarded unanalysed because a newer frame of the same camera arrived first (detection slower than the camera).",
            ["camera"]);
        FramesAnalysed = factory.CreateCounter(
            "surveillance_frames_analysed_total", "Frames that went through the detector.", ["camera"]);
        Detections = factory.CreateCounter(
            "surveillance_detections_total", "Objects of interest found, after NMS.", ["camera", "label"]);
        RegionsDetected = factory.CreateCounter(
            "surveillance_regions_detected_total", "Regions of analysed frames that went through the region model (Detector:Regions) instead of the whole frame.",
            ["camera"]);
        FramesSkipped = factory.CreateCounter(
            "surveillance_frames_skipped_total", "Frames the motion gate kept from the detector: nothing moved and no tracked object was due for a look.",
            ["camera"]);
        SkippedRatio = factory.CreateGauge(
            "surveillance_motion_skipped_ratio", $"Fraction of the camera's last {SkipWindow.Length} frames that the motion gate kept from the detector.",
            ["camera"]);
        FramesOutOfOrder = factory.CreateCounter(
            "surveillance_frames_out_of_order_total",
            "Analysed frames dropped because a later frame of the same camera had already been tracked (several detector workers).",
            ["camera"]);
        Tracks = factory.CreateGauge(
            "surveillance_tracks", "Objects being tracked and reported now (confirmed tracks).", ["camera"]);
        EventsStarted = factory.CreateCounter(
            "surveillance_events_started_total", "Events raised by rules (one per new), by the grid their new was routed to.", ["camera", "rule", "grid"]);
        EventsOpen = factory.CreateGauge(
            "surveillance_events_open", "Events started and not yet ended.", ["camera"]);
        _captureToPublish = factory.CreateHistogram(
            "surveillance_capture_to_publish_seconds",
            "From a detected frame's capture (read from its decoder) to its alerts handed to MQTT, or to the end of its analysis when it raised none.",
            new HistogramConfiguration
            {
                // 10 ms steps to 1 s, so that percentiles can be read to within a few milliseconds.
                Buckets = [.. Histogram.LinearBuckets(0.01, 0.01, 100), 1.5, 2, 3, 5, 10],
            });
    }

    public Counter FramesDropped { get; }

    public Counter FramesAnalysed { get; }

    public Counter Detections { get; }

    public Counter FramesSkipped { get; }

    public Counter RegionsDetected { get; }

    public Gauge SkippedRatio { get; }

    public Counter FramesOutOfOrder { get; }

    public Gauge Tracks { get; }

    public Counter EventsStarted { get; }

    public Gauge EventsOpen { get; }

    /// <summary>Records a detected frame's capture-to-publish time, now.</summary>
    public void ObserveCaptureToPublish(DateTime capturedAt) =>
        _captureToPublish.Observe((DateTime.UtcNow - capturedAt).TotalSeconds);

    /// <summary>The camera's series, created now; <see cref="CameraPipelineMetrics.Remove"/> takes them out of the scrape when the camera leaves.</summary>
    public CameraPipelineMetrics ForCamera(string cameraId) => new(this, cameraId);
}
