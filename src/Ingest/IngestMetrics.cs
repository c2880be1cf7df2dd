using Prometheus;

namespace Surveillance.Ingest;

/// <summary>
/// Prometheus metrics of the ingest stage, labelled by camera id (never by URL), in the registry of the engine
/// whose factory built them: engines in one process each count their own cameras.
/// </summary>
public sealed class IngestMetrics
{
    public IngestMetrics(IMetricFactory factory)
    {
        FramesDecoded = factory.CreateCounter(
            "surveillance_frames_decoded_total", "Frames read from a camera's decoder.", ["camera"]);
        DecoderStarts = factory.CreateCounter(
            "surveillance_decoder_starts_total", "Times a camera's ffmpeg decoder was started.", ["camera"]);
        DecoderExits = factory.CreateCounter(
            "surveillance_decoder_exits_total", "Times a camera's ffmpeg decoder stopped or failed to start.", ["camera"]);
        Reconnects = factory.CreateCounter(
            "surveillance_camera_reconnects_total", "Restarts of a camera's stream after it stopped or stalled.", ["camera"]);
        Stalls = factory.CreateCounter(
            "surveillance_camera_stalls_total", "Times a camera sent no frame within its stall timeout.", ["camera"]);
        Fps = factory.CreateGauge(
            "surveillance_camera_fps", "Frames per second received from a camera over the last 10 s.", ["camera"]);
        State = factory.CreateGauge(
            "surveillance_camera_state", "1 for the camera's current state (starting, online, degraded, offline), 0 for the others.", ["camera", "state"]);
        Grade = factory.CreateGauge(
            "surveillance_camera_grade", "Connection quality: 3 good, 2 fair, 1 poor, 0 none (no frames).", ["camera"]);
    }

    public Counter FramesDecoded { get; }

    public Counter DecoderStarts { get; }

    public Counter DecoderExits { get; }

    public Counter Reconnects { get; }

    public Counter Stalls { get; }

    public Gauge Fps { get; }

    public Gauge State { get; }

    public Gauge Grade { get; }

    /// <summary>The camera's series, created now; <see cref="CameraIngestMetrics.Remove"/> takes them out of the scrape when the camera leaves.</summary>
    public CameraIngestMetrics ForCamera(string cameraId) => new(this, cameraId);
}
