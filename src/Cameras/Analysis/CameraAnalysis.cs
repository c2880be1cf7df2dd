using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics;
using Surveillance.Analytics.Geometry;
using Surveillance.Analytics.Motion;
using Surveillance.Analytics.Regions;
using Surveillance.Analytics.Scene;
using Surveillance.Analytics.Tracking;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Analysis;

/// <summary>
/// Everything about one camera that must see its frames in order: the motion gate before detection, then
/// the filters, the tracker and the rules after it, and the frame copies kept for event snapshots. This is
/// where the stages meet, so it maps between their types: Analytics' tracked objects become the rules'
/// scene objects. Detectors call it from any worker; a lock keeps one camera's frames in order (a frame
/// older than one already tracked is dropped), while different cameras proceed side by side.
/// Once its buffers have grown, a frame that starts, changes or ends no event allocates nothing here.
/// </summary>
public sealed class CameraAnalysis : IDisposable
{
    private readonly Lock _lock = new();
    private readonly MotionGate _gate;
    private readonly ObjectFilter _filter;
    private readonly MultiObjectTracker _tracker;
    private readonly CameraRules _rules;
    private readonly SnapshotFrames _snapshots = new();
    private readonly SkipWindow _skips = new();
    private readonly Prometheus.Counter.Child?[] _detectionsByClass = new Prometheus.Counter.Child?[CocoClasses.Count];
    private readonly CameraPipelineMetrics _metrics;
    private readonly IAnalysisObserver? _observer;
    private Detection[] _kept = new Detection[64];
    private SceneObject[] _objects = new SceneObject[32];
    private BoundingBox[] _interest = new BoundingBox[MotionDetector.MaxMotionBoxes + 16];
    private DateTime _lastWholeFrame = DateTime.MinValue;
    private long _lastSequence = -1;
    private DateTime _lastFrameAt;
    private bool _closed;

    public CameraAnalysis(CameraOptions camera, SceneOptions scene, CameraRuleOptions rules, TrackerOptions tracker, AlertOptions alerts,
        CameraPipelineMetrics metrics, IAnalysisObserver? observer = null)
    {
        _metrics = metrics;
        _observer = observer;
        CameraId = camera.Id;
        var mask = scene.CreateMask();
        _gate = new MotionGate(scene.Motion, scene.Motion.Enabled ?? camera.Kind == CameraKind.Fixed, mask);
        _filter = scene.CreateFilter();
        _tracker = new MultiObjectTracker(tracker, _filter);
        _rules = new CameraRules(camera.Id, rules, alerts);
    }

    public string CameraId { get; }

    public bool GateEnabled => _gate.Enabled;

    /// <summary>Whether the camera has nothing to end: no tracks and no open events.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_lock)
                return _tracker.Count == 0 && _rules.Book.OpenCount == 0;
        }
    }

    /// <summary>Frame copies held for snapshots (by open events, or on their way to the broker).</summary>
    public int SnapshotCopies => _snapshots.Copies;

    /// <summary>
    /// The motion gate. When the detector need not run, the frame is fully handled here (stationary tracks keep their
    /// place, moving ones go on with their motion, rules see time pass) and false is returned; the caller releases the frame either way.
    /// </summary>
    /// <param name="output">Receives the event messages the frame produced.</param>
    public bool ShouldDetect(Frame frame, List<EventOutput> output) => Plan(frame, output, null, [], out _) != DetectionPlan.Skip;

    /// <summary>
    /// Decides how a frame is looked at. The motion gate first: a frame it skips is fully handled here (stationary tracks
    /// keep their place, moving ones go on with their motion, rules see time pass). With a <paramref name="planner"/>, a
    /// frame it lets through is looked at in regions around what moved and where each track is expected, unless the
    /// camera is due a whole frame (<see cref="RegionPlanner.WholeFrameInterval"/>) or the regions would cost as much. A
    /// camera without the gate (a patrol car's, whose whole picture moves) has regions around its tracks only, and a frame
    /// with none is handled as a skipped one until the next whole frame. The caller releases the frame either way.
    /// </summary>
    /// <param name="output">Receives the event messages a skipped frame produced.</param>
    /// <param name="regions">Receives the regions of a <see cref="DetectionPlan.Regions"/> plan; <see cref="RegionPlanner.MaxRegions"/> long.</param>
    public DetectionPlan Plan(Frame frame, List<EventOutput> output, RegionPlanner? planner, Span<PixelRegion> regions, out int regionCount)
    {
        regionCount = 0;
        lock (_lock)
        {
            if (_closed)
                return DetectionPlan.Skip;
            if (frame.Sequence <= _lastSequence)
            {
                _metrics.FramesOutOfOrder.Inc();
                return DetectionPlan.Skip;
            }
            var decision = _gate.Decide(frame.Pixels, frame.Width, frame.Height, frame.CapturedAt, _tracker.Count, _tracker.CountMoving(frame.CapturedAt));
            var plan = decision == GateDecision.Skip ? DetectionPlan.Skip : planner is null ? DetectionPlan.WholeFrame : PlanRegions(frame, decision, planner, regions, out regionCount);
            _skips.Record(plan == DetectionPlan.Skip);
            _metrics.SkippedRatio.Set(_skips.Ratio);
            if (plan != DetectionPlan.Skip)
                return plan;

            _metrics.FramesSkipped.Inc();
            _lastSequence = frame.Sequence;
            Evaluate(frame, _tracker.Hold(frame.CapturedAt, frame.Width, frame.Height), detected: false, output);
            return DetectionPlan.Skip;
        }
    }

    private DetectionPlan PlanRegions(Frame frame, GateDecision decision, RegionPlanner planner, Span<PixelRegion> regions, out int count)
    {
        count = 0;
        if (frame.CapturedAt - _lastWholeFrame >= planner.WholeFrameInterval)
            return WholeFrame(frame);
        var motion = decision == GateDecision.Motion ? _gate.MotionBoxes : [];
        if (_interest.Length < motion.Length + _tracker.Count)
            _interest = new BoundingBox[Math.Max(motion.Length + _tracker.Count, _interest.Length * 2)];
        motion.CopyTo(_interest);
        var boxes = motion.Length + _tracker.ExpectedBoxes(frame.CapturedAt, _interest.AsSpan(motion.Length));
        count = planner.Plan(frame.Width, frame.Height, _interest.AsSpan(0, boxes), regions);
        if (count > 0)
            return DetectionPlan.Regions;
        if (count == 0 && !_gate.Enabled)
            return DetectionPlan.Skip;
        // The regions would cost as much as the whole frame, or the gate saw motion that no box holds.
        count = 0;
        return WholeFrame(frame);
    }

    private DetectionPlan WholeFrame(Frame frame)
    {
        _lastWholeFrame = frame.CapturedAt;
        return DetectionPlan.WholeFrame;
    }

    /// <summary>Takes in what the detector found on a frame the gate let through; call before releasing the frame.</summary>
    /// <param name="output">Receives the event messages the frame produced.</param>
    public void Observe(Frame frame, ReadOnlySpan<Detection> detections, List<EventOutput> output)
    {
        lock (_lock)
        {
            if (_closed)
                return;
            if (frame.Sequence <= _lastSequence)
            {
                _metrics.FramesOutOfOrder.Inc();
                return;
            }
            _lastSequence = frame.Sequence;
            foreach (var detection in detections)
                DetectionCounter(detection.ClassId).Inc();
            _observer?.Detected(frame, detections);

            if (_kept.Length < detections.Length)
                _kept = new Detection[Math.Max(detections.Length, _kept.Length * 2)];
            var kept = _filter.Apply(detections, frame.Width, frame.Height, _kept);
            Evaluate(frame, _tracker.Update(_kept.AsSpan(0, kept), frame.CapturedAt, frame.Width, frame.Height), detected: true, output);
        }
    }

    /// <summary>
    /// Ends every open event with <paramref name="reason"/> (an <see cref="EventEndReason"/>: the camera went
    /// offline, the engine is stopping) and forgets tracks and motion history: whatever comes next is new.
    /// </summary>
    public void EndAll(EventEndReason reason, DateTime at, List<EventOutput> output)
    {
        lock (_lock)
        {
            _rules.EndAll(reason, at > _lastFrameAt ? at : _lastFrameAt);
            _tracker.Reset();
            _gate.Reset();
            _lastWholeFrame = DateTime.MinValue;
            _metrics.Tracks.Set(0);
            TakeMessages(null, output);
        }
    }

    /// <summary>
    /// The camera is stopping: every open event ends with <paramref name="reason"/>, and frames still on their way
    /// from the detectors change nothing any more.
    /// </summary>
    public void Close(EventEndReason reason, DateTime at, List<EventOutput> output)
    {
        lock (_lock)
        {
            if (_closed)
                return;
            EndAll(reason, at, output);
            _closed = true;
        }
    }

    private void Evaluate(Frame frame, ReadOnlySpan<TrackedObject> tracks, bool detected, List<EventOutput> output)
    {
        if (_objects.Length < tracks.Length)
            _objects = new SceneObject[Math.Max(tracks.Length, _objects.Length * 2)];
        var count = 0;
        foreach (var track in tracks)
        {
            if (!track.IsConfirmed)
                continue;
            _objects[count++] = new SceneObject(track.TrackId, track.Label, track.Score, track.TrackScore,
                track.Box, track.SeenThisFrame, track.LastSeen, track.StationarySince, track.Origin);
        }
        _metrics.Tracks.Set(count);
        _lastFrameAt = frame.CapturedAt;
        _observer?.Reported(frame, detected, _objects.AsSpan(0, count));
        _rules.Evaluate(new SceneFrame(frame.CapturedAt, frame.Width, frame.Height), _objects.AsSpan(0, count));
        TakeMessages(frame, output);
    }

    /// <summary>Copies the frame for the events that want it, then hands on the book's messages.</summary>
    private void TakeMessages(Frame? frame, List<EventOutput> output)
    {
        var book = _rules.Book;
        if (frame is not null && book.FrameRequests.Count > 0 && _snapshots.TryCopy(frame) is { } copy)
        {
            foreach (var request in book.FrameRequests)
                _snapshots.Keep(request.EventId, copy, request.Boxes);
            copy.Release();
        }
        book.FrameRequests.Clear();

        foreach (var change in book.Changes)
        {
            var hasSnapshot = _snapshots.Has(change.EventId);
            var snapshot = change.Phase == EventPhase.End ? _snapshots.Take(change.EventId) : null;
            output.Add(new EventOutput(change, hasSnapshot, snapshot));
        }
        book.Changes.Clear();
        _metrics.EventsOpen.Set(book.OpenCount);
    }

    private Prometheus.Counter.Child DetectionCounter(int classId) =>
        _detectionsByClass[classId] ??= _metrics.Detections(CocoClasses.Name(classId));

    public void Dispose()
    {
        // A detector may still be passing a frame through the gate.
        lock (_lock)
        {
            _closed = true;
            _gate.Dispose();
        }
    }
}
