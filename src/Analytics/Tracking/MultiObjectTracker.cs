using Surveillance.Analytics.Geometry;
using Surveillance.Analytics.Scene;

namespace Surveillance.Analytics.Tracking;

/// <summary>
/// Follows the objects of one camera from frame to frame and gives each a stable id, ByteTrack-style:
/// every track's box is moved ahead by its own motion model, confident detections are matched to the
/// predicted boxes by overlap first, and weak detections may then keep unmatched tracks alive (a person
/// half hidden behind a post scores low but is still that person). A last round links what is left by
/// centre distance. Only confident detections start tracks.
/// Not thread-safe: one tracker per camera, fed that camera's frames in order. Allocates nothing per frame
/// once its buffers have grown to the busiest scene.
/// </summary>
public sealed class MultiObjectTracker
{
    /// <summary>Weak detections are matched only where they overlap a track well: they are too unreliable to guess with.</summary>
    private const float LowScoreMatchIou = 0.5f;

    /// <summary>
    /// In the last round, a track and a detection whose centres are within this many detection heights are
    /// linked even without overlap: a box that shrank while its object was half hidden, or drifted while
    /// predicted, still belongs to the object that reappears next to it.
    /// </summary>
    private const float RescueDistance = 0.6f;

    /// <summary>A tentative track may miss one frame; a second miss means it was never there.</summary>
    private const int TentativeMaxMisses = 1;

    /// <summary>Misses in a row before a confirmed track may be ended (it also has to be unseen for <see cref="TrackerOptions.LostAfterSeconds"/>).</summary>
    private const int ConfirmedMinMisses = 2;

    private readonly TrackerOptions _options;
    private readonly ObjectFilter _filter;
    private readonly List<Track> _tracks = [];
    private readonly Stack<Track> _spare = new();
    private Pair[] _pairs = new Pair[64];
    private bool[] _trackMatched = new bool[16];
    private bool[] _detectionMatched = new bool[16];
    private TrackedObject[] _output = new TrackedObject[16];
    private long _nextId = 1;

    /// <param name="filter">Supplies each label's minimum track score; <see cref="ObjectFilter.None"/> for the defaults.</param>
    public MultiObjectTracker(TrackerOptions options, ObjectFilter filter)
    {
        _options = options;
        _filter = filter;
    }

    /// <summary>Tracks alive now, tentative ones included.</summary>
    public int Count => _tracks.Count;

    /// <summary>
    /// Tracks alive at <paramref name="time"/> that are not stationary (<see cref="TrackerOptions.StationaryAfterSeconds"/>):
    /// the motion gate looks at them sooner, since a skipped frame holds them where they were last seen.
    /// </summary>
    public int CountMoving(DateTime time)
    {
        var moving = 0;
        foreach (var track in _tracks)
        {
            if (IsMoving(track, time))
                moving++;
        }
        return moving;
    }

    /// <summary>
    /// Writes where every live track is expected at <paramref name="time"/> (tentative ones too: a region must look where a
    /// new object was just seen) into <paramref name="boxes"/>, as many as fit.
    /// </summary>
    /// <returns>How many were written.</returns>
    public int ExpectedBoxes(DateTime time, Span<BoundingBox> boxes)
    {
        var count = Math.Min(boxes.Length, _tracks.Count);
        for (var i = 0; i < count; i++)
            boxes[i] = _tracks[i].BoxAt(time);
        return count;
    }

    private bool IsMoving(Track track, DateTime time) => (time - track.StationarySince).TotalSeconds < _options.StationaryAfterSeconds;

    /// <summary>
    /// An unmatched track whose predicted box has less than this share of its area inside the picture has left it: a
    /// detector cannot see what is outside, so its prediction would only be reported, and counted by the rules, until
    /// <see cref="TrackerOptions.LostAfterSeconds"/> ends it.
    /// </summary>
    private const float LeftPictureBelow = 0.5f;

    /// <summary>Takes in the detections of a <paramref name="frameWidth"/>×<paramref name="frameHeight"/> frame analysed at <paramref name="time"/>.</summary>
    /// <returns>Every live track after this frame, valid until the next call.</returns>
    public ReadOnlySpan<TrackedObject> Update(ReadOnlySpan<Detection> detections, DateTime time, int frameWidth, int frameHeight)
    {
        foreach (var track in _tracks)
            track.Predict(time);

        EnsureCapacity(detections.Length);
        Array.Clear(_trackMatched, 0, _tracks.Count);
        Array.Clear(_detectionMatched, 0, detections.Length);

        Associate(detections, time, confident: true, _options.MatchIou);
        Associate(detections, time, confident: false, LowScoreMatchIou);
        Rescue(detections, time);

        for (var t = _tracks.Count - 1; t >= 0; t--)
        {
            if (_trackMatched[t])
                continue;
            var track = _tracks[t];
            track.Miss();
            if (IsOver(track, time) || HasLeft(track.Box, frameWidth, frameHeight))
            {
                _tracks.RemoveAt(t);
                _spare.Push(track);
            }
        }

        for (var d = 0; d < detections.Length; d++)
        {
            if (_detectionMatched[d] || detections[d].Score < _options.HighScoreThreshold)
                continue;
            var track = _spare.Count > 0 ? _spare.Pop() : new Track();
            track.Start(_nextId++, detections[d], time);
            track.TryConfirm(_options.ConfirmHits, _filter.MinTrackScore(track.ClassId));
            _tracks.Add(track);
        }

        return Snapshot(time);
    }

    /// <summary>
    /// A frame of <paramref name="frameWidth"/>×<paramref name="frameHeight"/> was not analysed because too little of
    /// the picture changed; no track counts a miss. A stationary track stays where it is and its velocity is forgotten
    /// (what stopped must not be extrapolated away). A track still moving goes on with its motion: a person walking
    /// far away or at the edge changes too little of the picture to wake the detector, and a track held in place would
    /// lag behind its person, be reported where nobody is, and be matched to whoever comes there next. The motion gate
    /// looks at moving tracks every <c>Motion:MovingRecheckSeconds</c>, so one that stopped is extrapolated for no
    /// longer than that. A moving track whose box has left the picture ends, as on an analysed frame.
    /// </summary>
    public ReadOnlySpan<TrackedObject> Hold(DateTime time, int frameWidth, int frameHeight)
    {
        for (var t = _tracks.Count - 1; t >= 0; t--)
        {
            var track = _tracks[t];
            if (!IsMoving(track, time))
            {
                track.Hold(time);
                continue;
            }
            track.Coast(time);
            if (HasLeft(track.Box, frameWidth, frameHeight))
            {
                _tracks.RemoveAt(t);
                _spare.Push(track);
            }
        }
        return Snapshot(time);
    }

    /// <summary>Forgets every track (the camera went away); ids keep counting up so none is reused.</summary>
    public void Reset()
    {
        foreach (var track in _tracks)
            _spare.Push(track);
        _tracks.Clear();
    }

    private bool IsOver(Track track, DateTime time) => track.State == TrackState.Tentative
        ? track.ConsecutiveMisses > TentativeMaxMisses
        : track.ConsecutiveMisses >= ConfirmedMinMisses && (time - track.LastSeen).TotalSeconds >= _options.LostAfterSeconds;

    private static bool HasLeft(in BoundingBox box, int frameWidth, int frameHeight) =>
        box.Clamp(frameWidth, frameHeight).Area < LeftPictureBelow * box.Area;

    /// <summary>Greedy matching by overlap, best pairs first; with a few dozen objects it matches what an optimal assignment would.</summary>
    private void Associate(ReadOnlySpan<Detection> detections, DateTime time, bool confident, float minIou)
    {
        var pairCount = 0;
        for (var t = 0; t < _tracks.Count; t++)
        {
            if (_trackMatched[t])
                continue;
            var track = _tracks[t];
            // The second, weak-detection round only rescues tracks that are already believed.
            if (!confident && track.State != TrackState.Confirmed)
                continue;
            var trackBox = track.Box;
            for (var d = 0; d < detections.Length; d++)
            {
                if (_detectionMatched[d] || (detections[d].Score >= _options.HighScoreThreshold) != confident)
                    continue;
                if (ClassFamily.Of(detections[d].ClassId) != track.Family)
                    continue;
                var iou = trackBox.IntersectionOverUnion(detections[d].Box);
                if (iou < minIou)
                    continue;
                if (pairCount == _pairs.Length)
                    Array.Resize(ref _pairs, _pairs.Length * 2);
                _pairs[pairCount++] = new Pair(iou, t, d);
            }
        }
        Match(detections, time, pairCount);
    }

    /// <summary>
    /// The last round: confirmed tracks still unmatched against confident detections still unmatched, by
    /// centre distance (nearest first) instead of overlap.
    /// </summary>
    private void Rescue(ReadOnlySpan<Detection> detections, DateTime time)
    {
        var pairCount = 0;
        for (var t = 0; t < _tracks.Count; t++)
        {
            var track = _tracks[t];
            if (_trackMatched[t] || track.State != TrackState.Confirmed)
                continue;
            var trackCentre = track.Box.Centre;
            for (var d = 0; d < detections.Length; d++)
            {
                ref readonly var detection = ref detections[d];
                if (_detectionMatched[d] || detection.Score < _options.HighScoreThreshold || ClassFamily.Of(detection.ClassId) != track.Family)
                    continue;
                var height = MathF.Max(1, detection.Box.Height);
                var centre = detection.Box.Centre;
                var dx = centre.X - trackCentre.X;
                var dy = centre.Y - trackCentre.Y;
                var distance = MathF.Sqrt(dx * dx + dy * dy) / height;
                if (distance > RescueDistance)
                    continue;
                if (pairCount == _pairs.Length)
                    Array.Resize(ref _pairs, _pairs.Length * 2);
                // Stored as a closeness so that the same descending sort puts the nearest first.
                _pairs[pairCount++] = new Pair(-distance, t, d);
            }
        }
        Match(detections, time, pairCount);
    }

    private void Match(ReadOnlySpan<Detection> detections, DateTime time, int pairCount)
    {
        var pairs = _pairs.AsSpan(0, pairCount);
        // A static lambda is a cached delegate; an IComparer struct would be boxed on every sort.
        pairs.Sort(static (x, y) => y.Affinity.CompareTo(x.Affinity));
        foreach (var pair in pairs)
        {
            if (_trackMatched[pair.Track] || _detectionMatched[pair.Detection])
                continue;
            _trackMatched[pair.Track] = true;
            _detectionMatched[pair.Detection] = true;
            var track = _tracks[pair.Track];
            track.Update(detections[pair.Detection], time, _options.StationaryTolerance);
            track.TryConfirm(_options.ConfirmHits, _filter.MinTrackScore(track.ClassId));
        }
    }

    private ReadOnlySpan<TrackedObject> Snapshot(DateTime time)
    {
        if (_output.Length < _tracks.Count)
            _output = new TrackedObject[Math.Max(_tracks.Count, _output.Length * 2)];
        for (var i = 0; i < _tracks.Count; i++)
            _output[i] = _tracks[i].ToTrackedObject(time, _options.StationaryAfterSeconds);
        return _output.AsSpan(0, _tracks.Count);
    }

    private void EnsureCapacity(int detections)
    {
        if (_trackMatched.Length < _tracks.Count)
            _trackMatched = new bool[Math.Max(_tracks.Count, _trackMatched.Length * 2)];
        if (_detectionMatched.Length < detections)
            _detectionMatched = new bool[Math.Max(detections, _detectionMatched.Length * 2)];
    }

    /// <param name="Affinity">How well they fit: the overlap, or in the rescue round the negated distance.</param>
    private readonly record struct Pair(float Affinity, int Track, int Detection);

}
