namespace Surveillance.Ingest.Health;

/// <summary>Where a camera's stream stands, as operators see it.</summary>
public enum CameraState
{
    /// <summary>The decoder has been started and no frame has arrived yet.</summary>
    Starting,

    /// <summary>Frames arrive at the expected rate (90% of it or more, over the last seconds), whatever the last hour was like.</summary>
    Online,

    /// <summary>Frames arrive, but too slowly now.</summary>
    Degraded,

    /// <summary>No frames: the decoder stopped or stalled and the stream is being restarted.</summary>
    Offline,
}
