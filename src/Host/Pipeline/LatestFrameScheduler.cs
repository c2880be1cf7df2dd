using System.Collections.Concurrent;
using System.Threading.Channels;
using Surveillance.Ingest;

namespace Surveillance.Host.Pipeline;

/// <summary>
/// Hands frames from the cameras to the detectors. Each camera has a one-frame slot: a new frame replaces
/// a waiting one, which is released and counted as dropped, so live video never queues stale frames.
/// Detectors take the cameras in the order they began waiting, and a camera stands in that line once: under
/// overload they go round the cameras in turn, so a fast camera cannot starve a slow one, and below it no
/// frame waits behind a camera that began waiting after it (a fixed round-robin order could make it wait for
/// every other camera in the round).
/// </summary>
public sealed class LatestFrameScheduler : IDisposable
{
    /// <summary>Set by a slot when the write on this thread replaced a waiting frame.</summary>
    [ThreadStatic]
    private static bool t_replaced;

    private readonly Dictionary<string, Slot> _slotsByCamera;

    /// <summary>The cameras with a frame waiting, in the order they began waiting.</summary>
    private readonly ConcurrentQueue<Slot> _line = new();

    /// <summary>One permit per camera in <see cref="_line"/>, released after it is enqueued.</summary>
    private readonly SemaphoreSlim _framesWaiting = new(0);

    public LatestFrameScheduler(IEnumerable<string> cameraIds)
    {
        _slotsByCamera = cameraIds.Select(id => new Slot(id)).ToDictionary(s => s.CameraId, StringComparer.Ordinal);
    }

    /// <summary>Offers a camera's newest frame; the scheduler owns it from here on.</summary>
    public void Offer(Frame frame)
    {
        if (!_slotsByCamera.TryGetValue(frame.CameraId, out var slot))
        {
            frame.Release();
            throw new ArgumentException($"Camera '{frame.CameraId}' is not scheduled.", nameof(frame));
        }
        // A one-slot channel that drops the oldest item always accepts the write, and drops on this thread.
        t_replaced = false;
        slot.Frames.Writer.TryWrite(frame);
        // A replaced frame's place in line (and its permit) passes to its successor. A permit per offer instead
        // grew by the drop rate for as long as an overload lasted (on a GPU node ~1,400/s: past int.MaxValue,
        // and a throwing Release, in 18 days), and idle detectors spun through it.
        if (t_replaced)
            return;
        _line.Enqueue(slot);
        _framesWaiting.Release();
    }

    /// <summary>Frames waiting for a detector: at most one per camera.</summary>
    public int FramesWaiting => _framesWaiting.CurrentCount;

    /// <summary>
    /// Blocks the calling thread until a camera has a frame, and takes the newest frame of the camera that has
    /// waited longest. For the detectors' own threads: a blocking wait allocates nothing, where an asynchronous
    /// one allocates a task.
    /// </summary>
    public Frame Take(CancellationToken cancellationToken)
    {
        _framesWaiting.Wait(cancellationToken);
        return TakeFirstInLine();
    }

    /// <summary>Takes the newest frame of the camera that has waited longest, without waiting.</summary>
    public bool TryTake(out Frame frame)
    {
        if (!_framesWaiting.Wait(0))
        {
            frame = null!;
            return false;
        }
        frame = TakeFirstInLine();
        return true;
    }

    /// <summary>
    /// With a permit held there is a camera in line, and its slot holds a frame: only the one who takes the
    /// camera out of line reads its slot, and a write in between can only replace the frame.
    /// </summary>
    private Frame TakeFirstInLine()
    {
        if (_line.TryDequeue(out var slot) && slot.Frames.Reader.TryRead(out var frame))
            return frame;
        throw new InvalidOperationException("A frame was announced but none was waiting: the scheduler's line and permits disagree.");
    }

    public void Dispose() => _framesWaiting.Dispose();

    private sealed class Slot
    {
        public Slot(string cameraId)
        {
            CameraId = cameraId;
            var dropped = PipelineMetrics.FramesDropped.WithLabels(cameraId);
            Frames = Channel.CreateBounded<Frame>(
                new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest },
                stale =>
                {
                    t_replaced = true;
                    dropped.Inc();
                    stale.Release();
                });
        }

        public string CameraId { get; }

        public Channel<Frame> Frames { get; }
    }
}
