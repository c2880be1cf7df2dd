namespace Surveillance.Ingest.Health;

/// <summary>Where a camera's stream stands, as operators see it.</summary>
public enum CameraState
{
    /// <summary>The decoder has been started and no frame has arrived yet.</summary>
    Starting,

    /// <summary>Frames arrive at the expected rate.</summary>
    Online,

    /// <summary>Frames arrive, but too slowly, or the stream keeps reconnecting or stalling.</summary>
    Degraded,

    /// <summary>No frames: the decoder stopped or stalled and the stream is being restarted.</summary>
    Offline,
}
