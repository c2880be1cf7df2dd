using Surveillance.Ingest;

namespace Surveillance.Cameras.Detectors;

/// <summary>One camera's place in the <see cref="FrameScheduler{TCamera}"/>: its newest frame waiting for a detector.</summary>
public sealed class FrameSlot<TCamera> where TCamera : class
{
    private readonly FrameScheduler<TCamera> _scheduler;

    internal FrameSlot(FrameScheduler<TCamera> scheduler, TCamera camera, Action? dropped)
    {
        _scheduler = scheduler;
        Camera = camera;
        Dropped = dropped;
    }

    public TCamera Camera { get; }

    // The scheduler's state of this slot, read and written under its lock only.
    internal Frame? Waiting { get; set; }
    internal bool Queued { get; set; }
    internal bool InFlight { get; set; }
    internal bool Left { get; set; }
    internal Action? Dropped { get; }

    /// <summary>Offers the camera's newest frame; the scheduler owns it from here on (releases it if it is never taken).</summary>
    public void Offer(Frame frame) => _scheduler.Offer(this, frame);
}
