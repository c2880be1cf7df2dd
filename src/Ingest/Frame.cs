namespace Surveillance.Ingest;

/// <summary>
/// One decoded BGR24 frame of a camera. Frames are pooled: whoever holds a frame last calls
/// <see cref="Release"/> so its buffer serves the next one instead of becoming garbage.
/// </summary>
public sealed class Frame
{
    private readonly FramePool _pool;
    private int _released;

    internal Frame(FramePool pool, byte[] buffer)
    {
        _pool = pool;
        Buffer = buffer;
    }

    public string CameraId => _pool.CameraId;

    public int Width => _pool.Width;

    public int Height => _pool.Height;

    /// <summary>Counts the frames of one camera from 0 since the engine started; never resets on reconnect.</summary>
    public long Sequence { get; private set; }

    /// <summary>UTC time at which the frame was read from the decoder.</summary>
    public DateTime CapturedAt { get; private set; }

    /// <summary>The pixels, <c>Width × Height × 3</c> bytes in BGR order, row-major.</summary>
    public byte[] Buffer { get; }

    public ReadOnlySpan<byte> Pixels => Buffer;

    internal void OnRent() => _released = 0;

    internal void Stamp(long sequence, DateTime capturedAt)
    {
        Sequence = sequence;
        CapturedAt = capturedAt;
    }

    /// <summary>Returns the frame to its pool. Releasing twice is a bug and throws.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
            throw new InvalidOperationException($"Frame {Sequence} of camera '{CameraId}' was released twice.");
        _pool.Return(this);
    }
}
