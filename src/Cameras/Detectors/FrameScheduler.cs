using Surveillance.Ingest;

namespace Surveillance.Cameras.Detectors;

/// <summary>
/// Hands frames from the cameras to the node's detectors. Each camera joins with a one-frame slot: a new frame
/// replaces a waiting one, which is released and counted as dropped, so live video never queues stale frames.
/// A camera whose frame is being analysed is not taken again until that frame is done (at most one frame of a
/// camera in flight: its frames reach the tracker in order), and cameras are served in the order their frames
/// became ready, so a fast camera cannot starve a slow one. Cameras join and leave at any time.
/// </summary>
/// <typeparam name="TCamera">What a slot stands for; the detectors hand it back with each frame.</typeparam>
public sealed class FrameScheduler<TCamera> where TCamera : class
{
    // A monitor rather than a Lock: the detectors wait on it (Monitor.Wait) for the next ready camera.
    private readonly object _lock = new();
    private readonly Queue<FrameSlot<TCamera>> _ready = new();
    private int _waiting;
    private int _cameras;
    private bool _closed;

    /// <summary>Frames waiting for a detector: at most one per camera.</summary>
    public int FramesWaiting => Volatile.Read(ref _waiting);

    /// <summary>Cameras with a slot now.</summary>
    public int Cameras => Volatile.Read(ref _cameras);

    /// <param name="dropped">Called (under no lock) for each frame replaced by a newer one before a detector took it.</param>
    public FrameSlot<TCamera> Join(TCamera camera, Action? dropped = null)
    {
        Interlocked.Increment(ref _cameras);
        return new FrameSlot<TCamera>(this, camera, dropped);
    }

    /// <summary>
    /// The camera's slot is closed: its waiting frame is released, and a frame of it being analysed now is the last.
    /// </summary>
    public void Leave(FrameSlot<TCamera> slot)
    {
        Frame? waiting;
        lock (_lock)
        {
            if (slot.Left)
                return;
            slot.Left = true;
            waiting = slot.Waiting;
            slot.Waiting = null;
            if (waiting is not null)
                _waiting--;
        }
        Interlocked.Decrement(ref _cameras);
        waiting?.Release();
    }

    internal void Offer(FrameSlot<TCamera> slot, Frame frame)
    {
        Frame? replaced;
        lock (_lock)
        {
            if (slot.Left)
            {
                replaced = frame;
            }
            else
            {
                replaced = slot.Waiting;
                slot.Waiting = frame;
                if (replaced is null)
                {
                    _waiting++;
                    MakeReady(slot);
                }
            }
        }
        if (replaced is null)
            return;
        if (replaced != frame)
            slot.Dropped?.Invoke();
        replaced.Release();
    }

    /// <summary>
    /// Blocks the calling thread until a camera has a frame, and takes it. For the detectors' own threads: a
    /// blocking wait allocates nothing, where an asynchronous one allocates a task.
    /// </summary>
    /// <returns>False once the scheduler is closed.</returns>
    public bool Take(out FrameSlot<TCamera> slot, out Frame frame)
    {
        lock (_lock)
        {
            while (!_closed)
            {
                if (TryTakeLocked(out slot, out frame))
                    return true;
                Monitor.Wait(_lock);
            }
        }
        slot = null!;
        frame = null!;
        return false;
    }

    /// <summary>Takes the frame of the next camera that has one, without waiting.</summary>
    public bool TryTake(out FrameSlot<TCamera> slot, out Frame frame)
    {
        lock (_lock)
        {
            if (!_closed && TryTakeLocked(out slot, out frame))
                return true;
        }
        slot = null!;
        frame = null!;
        return false;
    }

    /// <summary>The camera's frame taken last has been analysed: the camera may be taken again.</summary>
    public void Done(FrameSlot<TCamera> slot)
    {
        lock (_lock)
        {
            slot.InFlight = false;
            if (slot.Waiting is not null)
                MakeReady(slot);
        }
    }

    /// <summary>Wakes every detector waiting in <see cref="Take"/> and makes it return false.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            Monitor.PulseAll(_lock);
        }
    }

    private void MakeReady(FrameSlot<TCamera> slot)
    {
        if (slot.Queued || slot.InFlight)
            return;
        slot.Queued = true;
        _ready.Enqueue(slot);
        Monitor.Pulse(_lock);
    }

    private bool TryTakeLocked(out FrameSlot<TCamera> slot, out Frame frame)
    {
        while (_ready.TryDequeue(out slot!))
        {
            slot.Queued = false;
            if (slot.Left || slot.Waiting is null)
                continue;
            frame = slot.Waiting;
            slot.Waiting = null;
            slot.InFlight = true;
            _waiting--;
            return true;
        }
        frame = null!;
        return false;
    }
}
