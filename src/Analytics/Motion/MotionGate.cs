using Surveillance.Analytics.Geometry;
using Surveillance.Analytics.Scene;

namespace Surveillance.Analytics.Motion;

/// <summary>
/// Decides per frame whether the detector runs: on frames with motion, and, while tracked objects stand
/// still, every <see cref="MotionGateOptions.RecheckSeconds"/> to see whether they are still there. Most
/// cameras show a still scene most of the time, so this is the largest saving on a CPU. A tracked object that
/// is still moving gets a look every <see cref="MotionGateOptions.MovingRecheckSeconds"/>: its motion may be
/// too small a share of the picture to count, and the tracker holds every track in place on a skipped frame.
/// Not thread-safe: one per camera, fed that camera's frames in order.
/// </summary>
public sealed class MotionGate : IDisposable
{
    private readonly bool _enabled;
    private readonly double _minChangedFraction;
    private readonly TimeSpan _recheck;
    private readonly TimeSpan _movingRecheck;
    private readonly MotionDetector _detector;
    private DateTime _lastDetection = DateTime.MinValue;

    /// <param name="enabled">Whether the gate skips anything at all (off for patrol cameras).</param>
    public MotionGate(MotionGateOptions options, bool enabled, SceneMask mask)
    {
        _enabled = enabled;
        _minChangedFraction = options.MinChangedFraction;
        _recheck = TimeSpan.FromSeconds(options.RecheckSeconds);
        _movingRecheck = TimeSpan.FromSeconds(Math.Min(options.MovingRecheckSeconds, options.RecheckSeconds));
        _detector = new MotionDetector(options.PixelThreshold, mask);
    }

    public bool Enabled => _enabled;

    /// <summary>Where the picture changed on the last frame looked at, in frame pixels (<see cref="MotionDetector.MotionBoxes"/>); empty when the gate is off.</summary>
    public ReadOnlySpan<BoundingBox> MotionBoxes => _enabled ? _detector.MotionBoxes : [];

    /// <summary>The fraction of the watched picture that changed on the last frame looked at.</summary>
    public double LastChangedFraction { get; private set; }

    /// <param name="liveTracks">Tracks the tracker holds; each needs an occasional look even when nothing moves.</param>
    /// <param name="movingTracks">Those of them not stationary: they need a look sooner.</param>
    public GateDecision Decide(ReadOnlySpan<byte> bgr, int width, int height, DateTime time, int liveTracks, int movingTracks)
    {
        if (!_enabled)
            return Detected(GateDecision.Motion, time);

        LastChangedFraction = _detector.Measure(bgr, width, height);
        if (LastChangedFraction > _minChangedFraction)
            return Detected(GateDecision.Motion, time);
        if (liveTracks > 0 && time - _lastDetection >= (movingTracks > 0 ? _movingRecheck : _recheck))
            return Detected(GateDecision.Recheck, time);
        return GateDecision.Skip;
    }

    /// <summary>The camera restarted: its next frame is compared with nothing and always analysed.</summary>
    public void Reset()
    {
        _detector.Reset();
        _lastDetection = DateTime.MinValue;
    }

    private GateDecision Detected(GateDecision decision, DateTime time)
    {
        _lastDetection = time;
        return decision;
    }

    public void Dispose() => _detector.Dispose();
}
