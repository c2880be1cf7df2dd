using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics;
using Surveillance.Analytics.Motion;
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
    public bool ShouldDetect(Frame frame, List<EventOutput> output)
    {
        lock (_lock)
        {
            if (_closed)
                return false;
            if (frame.Sequence <= _lastSequence)
            {
                _metrics.FramesOutOfOrder.Inc();
                return false;
            }
            var decision = _gate.Decide(frame.Pixels, frame.Width, frame.Height, frame.CapturedAt, _tracker.Count, _tracker.CountMoving(frame.CapturedAt));
            _skips.Record(decision == GateDecision.Skip);
            _metrics.SkippedRatio.Set(_skips.Ratio);
            if (decision != GateDecision.Skip)
                return true;

            _metrics.FramesSkipped.Inc();
            _lastSequence = frame.Sequence;
            Evaluate(frame, _tracker.Hold(frame.CapturedAt, frame.Width, frame.Height), detected: false, output);
            return false;
        }
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
