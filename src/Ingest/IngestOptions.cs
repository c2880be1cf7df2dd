namespace Surveillance.Ingest;

/// <summary>Settings shared by every camera's decoder, under <c>Ingest</c>.</summary>
public sealed class IngestOptions
{
    /// <summary>The ffmpeg binary: a name looked up on PATH, or a full path.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>
    /// Socket timeout for network sources. Without one, ffmpeg's RTSP client waits forever on a server
    /// that stops sending.
    /// </summary>
    public double SocketTimeoutSeconds { get; set; } = 10;

    /// <summary>Pause before a camera's decoder is started again after it stopped.</summary>
    public double RestartDelaySeconds { get; set; } = 2;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(FfmpegPath))
            yield return "Ingest:FfmpegPath: is required";
        if (double.IsNaN(SocketTimeoutSeconds) || SocketTimeoutSeconds < 1 || SocketTimeoutSeconds > 300)
            yield return $"Ingest:SocketTimeoutSeconds: must be between 1 and 300 (was {SocketTimeoutSeconds})";
        if (double.IsNaN(RestartDelaySeconds) || RestartDelaySeconds < 0 || RestartDelaySeconds > 300)
            yield return $"Ingest:RestartDelaySeconds: must be between 0 and 300 (was {RestartDelaySeconds})";
    }
}
