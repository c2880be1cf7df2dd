namespace Surveillance.Analytics;

/// <summary>
/// Finds objects of the configured classes in BGR frames, one or a batch per model run. Not thread-safe:
/// one per worker.
/// </summary>
public interface IObjectDetector : IDisposable
{
    ModelFamily Family { get; }

    /// <summary>How many frames one <see cref="Run"/> can take (1 unless the model's batch dimension is dynamic).</summary>
    int BatchCapacity { get; }

    /// <summary>Prepares a frame as image <paramref name="slot"/> of the next run.</summary>
    void Load(int slot, ReadOnlySpan<byte> bgr, int width, int height);

    /// <summary>Runs the model on images 0 .. <paramref name="count"/> - 1.</summary>
    void Run(int count);

    /// <returns>The detections of image <paramref name="slot"/> of the last run, in frame pixels, after NMS, best first; valid until the next call.</returns>
    ReadOnlySpan<Detection> Results(int slot);

    /// <summary>One frame on its own: load, run, results.</summary>
    ReadOnlySpan<Detection> Detect(ReadOnlySpan<byte> bgr, int width, int height);
}
