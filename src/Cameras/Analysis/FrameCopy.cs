using System.Buffers;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Analysis;

/// <summary>
/// A copy of a frame's pixels in a pooled buffer, kept as the best frame of one or more events until their
/// snapshots are made. Shared by every event that wanted the same frame, and returned to the pool when the
/// last of them lets go.
/// </summary>
public sealed class FrameCopy
{
    private readonly SnapshotFrames _owner;
    private int _references = 1;

    private FrameCopy(SnapshotFrames owner, byte[] buffer, int width, int height)
    {
        _owner = owner;
        Buffer = buffer;
        Width = width;
        Height = height;
    }

    /// <summary>Pooled, so possibly longer than the frame: the pixels are the first <see cref="Length"/> bytes.</summary>
    public byte[] Buffer { get; }

    public int Width { get; }

    public int Height { get; }

    public int Length => Width * Height * 3;

    public Span<byte> Pixels => Buffer.AsSpan(0, Length);

    internal static FrameCopy Of(SnapshotFrames owner, Frame frame)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(frame.Pixels.Length);
        frame.Pixels.CopyTo(buffer);
        return new FrameCopy(owner, buffer, frame.Width, frame.Height);
    }

    internal void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>Lets go of the copy; the last holder returns its buffer to the pool.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
            _owner.Returned();
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("A frame copy was released more often than it was held.");
        }
    }
}
