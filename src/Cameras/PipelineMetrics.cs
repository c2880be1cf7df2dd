using Prometheus;

using Surveillance.Cameras.Analysis;
namespace Surveillance.Cameras;

/// <summary>Prometheus metrics of the flow between stages.</summary>
public static class PipelineMetrics
{
    public static readonly Counter FramesDropped = Metrics.CreateCounter(
        "surveillance_frames_dropped_total",
        "Frames discarded unanalysed because a newer frame of the same camera arrived first (detection slower than the camera).",
        "camera");

    public static readonly Counter FramesAnalysed = Metrics.CreateCounter(
        "surveillance_frames_analysed_total", "Frames that went through the detector.", "camera");

    public static readonly Counter Detections = Metrics.CreateCounter(
        "surveillance_detections_total", "Objects of interest found, after NMS.", "camera", "label");

    public static readonly Counter FramesSkipped = Metrics.CreateCounter(
        "surveillance_frames_skipped_total", "Frames the motion gate kept from the detector: nothing moved and no tracked object was due for a look.",
        "camera");

    public static readonly Gauge SkippedRatio = Metrics.CreateGauge(
        "surveillance_motion_skipped_ratio", $"Fraction of the camera's last {SkipWindow.Length} frames that the motion gate kept from the detector.",
        "camera");

    public static readonly Counter FramesOutOfOrder = Metrics.CreateCounter(
        "surveillance_frames_out_of_order_total",
        "Analysed frames dropped because a later frame of the same camera had already been tracked (several detector workers).",
        "camera");

    public static readonly Gauge Tracks = Metrics.CreateGauge(
        "surveillance_tracks", "Objects being tracked and reported now (confirmed tracks).", "camera");

    public static readonly Counter EventsStarted = Metrics.CreateCounter(
        "surveillance_events_started_total", "Events raised by rules (one per new).", "camera", "rule");

    public static readonly Gauge EventsOpen = Metrics.CreateGauge(
        "surveillance_events_open", "Events started and not yet ended.", "camera");

    private static readonly Histogram CaptureToPublish = Metrics.CreateHistogram(
        "surveillance_capture_to_publish_seconds",
        "From a detected frame's capture (read from its decoder) to its alerts handed to MQTT, or to the end of its analysis when it raised none.",
        new HistogramConfiguration
        {
            // 10 ms steps to 1 s, so that percentiles can be read to within a few milliseconds.
            Buckets = [.. Histogram.LinearBuckets(0.01, 0.01, 100), 1.5, 2, 3, 5, 10],
        });

    /// <summary>Records a detected frame's capture-to-publish time, now.</summary>
    public static void ObserveCaptureToPublish(DateTime capturedAt) =>
        CaptureToPublish.Observe((DateTime.UtcNow - capturedAt).TotalSeconds);
}
