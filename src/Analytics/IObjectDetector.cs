namespace Surveillance.Analytics;

/// <summary>Finds objects of the configured classes in one BGR frame. Not thread-safe: one per worker.</summary>
public interface IObjectDetector : IDisposable
{
    ModelFamily Family { get; }

    /// <returns>Detections in frame pixels, after NMS, best first; valid until the next call.</returns>
    ReadOnlySpan<Detection> Detect(ReadOnlySpan<byte> bgr, int width, int height);
}
