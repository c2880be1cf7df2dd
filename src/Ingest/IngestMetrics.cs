using Prometheus;
using Surveillance.Ingest.Health;

namespace Surveillance.Ingest;

/// <summary>Prometheus metrics of the ingest stage, labelled by camera id (never by URL).</summary>
public static class IngestMetrics
{
    private static readonly CameraState[] States = Enum.GetValues<CameraState>();

    public static readonly Counter FramesDecoded = Metrics.CreateCounter(
        "surveillance_frames_decoded_total", "Frames read from a camera's decoder.", "camera");

    public static readonly Counter DecoderStarts = Metrics.CreateCounter(
        "surveillance_decoder_starts_total", "Times a camera's ffmpeg decoder was started.", "camera");

    public static readonly Counter DecoderExits = Metrics.CreateCounter(
        "surveillance_decoder_exits_total", "Times a camera's ffmpeg decoder stopped or failed to start.", "camera");

    public static readonly Counter Reconnects = Metrics.CreateCounter(
        "surveillance_camera_reconnects_total", "Restarts of a camera's stream after it stopped or stalled.", "camera");

    public static readonly Counter Stalls = Metrics.CreateCounter(
        "surveillance_camera_stalls_total", "Times a camera sent no frame within its stall timeout.", "camera");

    public static readonly Gauge Fps = Metrics.CreateGauge(
        "surveillance_camera_fps", "Frames per second received from a camera over the last 10 s.", "camera");

    public static readonly Gauge State = Metrics.CreateGauge(
        "surveillance_camera_state", "1 for the camera's current state (starting, online, degraded, offline), 0 for the others.", "camera", "state");

    public static readonly Gauge Grade = Metrics.CreateGauge(
        "surveillance_camera_grade", "Connection quality: 3 good, 2 fair, 1 poor, 0 none (no frames).", "camera");

    internal static void Publish(CameraHealthSnapshot health)
    {
        Fps.WithLabels(health.CameraId).Set(health.Fps);
        Grade.WithLabels(health.CameraId).Set((int)health.Grade);
        foreach (var state in States)
            State.WithLabels(health.CameraId, Names.Of(state)).Set(state == health.State ? 1 : 0);
    }
}
