using System.Threading.Channels;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Detectors;

/// <summary>
/// Hands frames from the cameras to the detectors. Each camera has a one-frame slot: a new frame replaces
/// a waiting one, which is released and counted as dropped, so live video never queues stale frames.
/// Detectors take from the cameras in turn, so a fast camera cannot starve a slow one.
/// </summary>
public sealed class LatestFrameScheduler : IDisposable
{
    /// <summary>Set by a slot when the write on this thread replaced a waiting frame.</summary>
    [ThreadStatic]
    private static bool t_replaced;

    private readonly Slot[] _slots;
    private readonly Dictionary<string, Slot> _slotsByCamera;
    private readonly SemaphoreSlim _framesWaiting = new(0);
    private readonly Lock _turn = new();
    private int _nextSlot;

    public LatestFrameScheduler(IEnumerable<string> cameraIds, PipelineMetrics metrics)
    {
        _slots = [.. cameraIds.Select(id => new Slot(id, metrics))];
        _slotsByCamera = _slots.ToDictionary(s => s.CameraId, StringComparer.Ordinal);
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
        // One permit per waiting frame: a replaced frame's permit now announces its successor. Released for every
        // frame offered, the count grew by the dropped rate for as long as an overload lasted (on a GPU node
        // ~1,400/s: past int.MaxValue, and a throwing Release, in 18 days), and idle detectors spun through it.
        if (!t_replaced)
            _framesWaiting.Release();
    }

    /// <summary>Frames waiting for a detector: at most one per camera.</summary>
    public int FramesWaiting => _framesWaiting.CurrentCount;

    /// <summary>
    /// Blocks the calling thread until the next camera in turn has a frame, and takes its newest frame. For the
    /// detectors' own threads: a blocking wait allocates nothing, where an asynchronous one allocates a task.
    /// </summary>
    public Frame Take(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Another detector may have taken the frame this permit announced (TryTake takes any camera's in turn).
            _framesWaiting.Wait(cancellationToken);
            if (TryTakeInTurn(out var frame))
                return frame;
        }
    }

    /// <summary>Takes the newest frame of the next camera in turn that has one, without waiting.</summary>
    public bool TryTake(out Frame frame)
    {
        while (_framesWaiting.Wait(0))
        {
            if (TryTakeInTurn(out frame))
                return true;
        }
        frame = null!;
        return false;
    }

    private bool TryTakeInTurn(out Frame frame)
    {
        lock (_turn)
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                var index = (_nextSlot + i) % _slots.Length;
                if (_slots[index].Frames.Reader.TryRead(out frame!))
                {
                    _nextSlot = index + 1;
                    return true;
                }
            }
        }
        frame = null!;
        return false;
    }

    public void Dispose() => _framesWaiting.Dispose();

    private sealed class Slot
    {
        public Slot(string cameraId, PipelineMetrics metrics)
        {
            CameraId = cameraId;
            var dropped = metrics.FramesDropped.WithLabels(cameraId);
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
