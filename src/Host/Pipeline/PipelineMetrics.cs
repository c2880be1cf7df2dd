using Prometheus;

namespace Surveillance.Host.Pipeline;

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
}
