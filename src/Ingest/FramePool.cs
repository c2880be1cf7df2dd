using System.Collections.Concurrent;

namespace Surveillance.Ingest;

/// <summary>
/// Frames of one camera, reused. The pool grows to the number of frames in flight at once
/// (one being read, one waiting, one per detector) and then allocates nothing.
/// </summary>
public sealed class FramePool
{
    private readonly ConcurrentBag<Frame> _free = [];
    private int _allocated;

    public FramePool(string cameraId, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        CameraId = cameraId;
        Width = width;
        Height = height;
        FrameLength = checked(width * height * 3);
    }

    public string CameraId { get; }

    public int Width { get; }

    public int Height { get; }

    public int FrameLength { get; }

    /// <summary>Frames created so far; stays flat once the pipeline is warm.</summary>
    public int Allocated => _allocated;

    /// <summary>Frames back in the pool: equal to <see cref="Allocated"/> when none is in use.</summary>
    internal int Available => _free.Count;

    public Frame Rent()
    {
        if (!_free.TryTake(out var frame))
        {
            Interlocked.Increment(ref _allocated);
            frame = new Frame(this);
        }
        frame.OnRent();
        return frame;
    }

    internal void Return(Frame frame) => _free.Add(frame);
}
