using System.Collections.Concurrent;

namespace Surveillance.Ingest;

/// <summary>
/// Frames of one camera, reused. The pool grows to the number of frames in flight at once
/// (one being read, one waiting, one per detector) and then allocates nothing.
/// </summary>
/// <remarks>
/// A queue, not a <c>ConcurrentBag</c>: a bag keeps a thread-local list per thread that touched it, linked with the
/// lists of every other bag, so the pools (and frames) of cameras long removed stayed reachable from any live one's.
/// </remarks>
public sealed class FramePool
{
    private readonly ConcurrentQueue<Frame> _free = new();
    private readonly FrameBuffers _buffers;
    private int _allocated;
    private volatile bool _closed;

    /// <param name="buffers">The node's buffers, shared with its other cameras; by default the pool's own.</param>
    public FramePool(string cameraId, int width, int height, FrameBuffers? buffers = null)
    {
        _buffers = buffers ?? new FrameBuffers();
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
        if (!_free.TryDequeue(out var frame))
        {
            Interlocked.Increment(ref _allocated);
            frame = new Frame(this, _buffers.Rent(FrameLength));
        }
        frame.OnRent();
        return frame;
    }

    internal void Return(Frame frame)
    {
        if (_closed)
            _buffers.Return(frame.Buffer);
        else
            _free.Enqueue(frame);
        // A frame returned while the pool closed: the close may have drained the queue before it arrived.
        if (_closed && _free.TryDequeue(out var late))
            _buffers.Return(late.Buffer);
    }

    /// <summary>
    /// The camera has stopped: the buffers of the frames in the pool go back to the node's buffers, and so will those
    /// of frames still in use when they are released.
    /// </summary>
    public void Close()
    {
        _closed = true;
        while (_free.TryDequeue(out var frame))
            _buffers.Return(frame.Buffer);
    }
}
