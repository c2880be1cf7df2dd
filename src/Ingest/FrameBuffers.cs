using System.Collections.Concurrent;

namespace Surveillance.Ingest;

/// <summary>
/// The node's pinned frame buffers, by size, shared by its cameras: a camera that stops gives its buffers back,
/// and the next camera of that frame size takes them, so cameras coming and going allocate no new pinned memory
/// (which the garbage collector never moves and frees only in its rarest collections).
/// </summary>
public sealed class FrameBuffers(long maxRetainedBytes = FrameBuffers.DefaultMaxRetainedBytes)
{
    /// <summary>Beyond this, buffers given back are left to the garbage collector.</summary>
    public const long DefaultMaxRetainedBytes = 256L * 1024 * 1024;

    private readonly ConcurrentDictionary<int, ConcurrentQueue<byte[]>> _free = new();
    private long _retainedBytes;

    /// <summary>Bytes held for reuse now.</summary>
    public long RetainedBytes => Interlocked.Read(ref _retainedBytes);

    public byte[] Rent(int length)
    {
        if (_free.TryGetValue(length, out var queue) && queue.TryDequeue(out var buffer))
        {
            Interlocked.Add(ref _retainedBytes, -buffer.Length);
            return buffer;
        }
        // Pinned so that native code (OpenCV, ONNX Runtime) can read it without pinning per frame.
        return GC.AllocateUninitializedArray<byte>(length, pinned: true);
    }

    public void Return(byte[] buffer)
    {
        if (Interlocked.Add(ref _retainedBytes, buffer.Length) > maxRetainedBytes)
        {
            Interlocked.Add(ref _retainedBytes, -buffer.Length);
            return;
        }
        _free.GetOrAdd(buffer.Length, static _ => new ConcurrentQueue<byte[]>()).Enqueue(buffer);
    }
}
