using Prometheus;

namespace Surveillance.Ingest;

/// <summary>Prometheus metrics of the ingest stage, labelled by camera id (never by URL).</summary>
public static class IngestMetrics
{
    public static readonly Counter FramesDecoded = Metrics.CreateCounter(
        "surveillance_frames_decoded_total", "Frames read from a camera's decoder.", "camera");

    public static readonly Counter DecoderStarts = Metrics.CreateCounter(
        "surveillance_decoder_starts_total", "Times a camera's ffmpeg decoder was started.", "camera");

    public static readonly Counter DecoderExits = Metrics.CreateCounter(
        "surveillance_decoder_exits_total", "Times a camera's ffmpeg decoder stopped or failed to start.", "camera");
}
