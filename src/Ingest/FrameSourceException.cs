namespace Surveillance.Ingest;

/// <summary>Why a camera's decoder stopped.</summary>
public enum FrameSourceFailure
{
    /// <summary>ffmpeg exited (server gone, bad stream, end of input); its exit code does not tell which.</summary>
    Exited,

    /// <summary>No frame arrived within the stall timeout; ffmpeg was killed.</summary>
    Stalled,

    /// <summary>ffmpeg could not be started at all.</summary>
    StartFailed,
}

/// <summary>A camera's decoder stopped or could not start. The message is safe to log: it holds no credentials.</summary>
public sealed class FrameSourceException(FrameSourceFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public FrameSourceFailure Failure { get; } = failure;
}
