using System.Numerics;
using Surveillance.Analytics.Geometry;

namespace Surveillance.Analytics.Tracking;

/// <summary>
/// The tracker's mutable state of one object. Instances are reused: the tracker keeps ended tracks for the
/// next new object, so following objects allocates nothing once the busiest moment of a scene has passed.
/// </summary>
internal sealed class Track
{
    private const int ScoreHistoryLength = 8;
    private const int MaxClasses = 4;

    /// <summary>Velocity a new object may plausibly have, in object sizes per second.</summary>
    private const float InitialVelocityStd = 1f;

    /// <summary>How quickly an object may change speed, in object sizes per second².</summary>
    private const float AccelerationStd = 0.5f;

    /// <summary>Jitter of a detector's box edges, as a fraction of the object's size, plus a pixel.</summary>
    private const float MeasurementStd = 0.05f;

    private readonly float[] _scores = new float[ScoreHistoryLength];
    private readonly int[] _classIds = new int[MaxClasses];
    private readonly float[] _classScores = new float[MaxClasses];
    private int _scoreCount;
    private int _classCount;
    private ConstantVelocityFilter _cx;
    private ConstantVelocityFilter _cy;
    private ConstantVelocityFilter _w;
    private ConstantVelocityFilter _h;
    private DateTime _predictedAt;
    private float _anchorX;
    private float _anchorY;
    private Vector2 _origin;

    public long Id { get; private set; }

    public TrackState State { get; private set; }

    public int Family { get; private set; }

    public int ClassId { get; private set; }

    public int Hits { get; private set; }

    public int ConsecutiveMisses { get; private set; }

    public float LastScore { get; private set; }

    public float TopScore { get; private set; }

    public DateTime FirstSeen { get; private set; }

    public DateTime LastSeen { get; private set; }

    public DateTime StationarySince { get; private set; }

    public bool SeenThisFrame { get; private set; }

    /// <summary>The filtered box, in frame pixels.</summary>
    public BoundingBox Box => BoundingBox.FromCentre(_cx.Position, _cy.Position, Width, Height);

    /// <summary>Where the box will be at <paramref name="time"/> if it goes on as it moves now; changes nothing.</summary>
    public BoundingBox BoxAt(DateTime time)
    {
        var dt = MathF.Max(0, (float)(time - _predictedAt).TotalSeconds);
        return BoundingBox.FromCentre(_cx.Position + _cx.Velocity * dt, _cy.Position + _cy.Velocity * dt, Width, Height);
    }

    private float Width => MathF.Max(1, _w.Position);

    private float Height => MathF.Max(1, _h.Position);

    private float Size => MathF.Sqrt(Width * Height);

    public void Start(long id, in Detection detection, DateTime time)
    {
        Id = id;
        var box = detection.Box;
        var w = box.Width;
        var h = box.Height;
        var size = MathF.Sqrt(MathF.Max(1, w * h));
        var positionStd = MeasurementStd * size + 1;
        var velocityStd = InitialVelocityStd * size;
        var centre = box.Centre;
        _cx = new ConstantVelocityFilter(centre.X, positionStd, velocityStd);
        _cy = new ConstantVelocityFilter(centre.Y, positionStd, velocityStd);
        _w = new ConstantVelocityFilter(w, positionStd, velocityStd);
        _h = new ConstantVelocityFilter(h, positionStd, velocityStd);
        _predictedAt = time;
        _scoreCount = 0;
        _classCount = 0;
        Hits = 0;
        TopScore = 0;
        Family = ClassFamily.Of(detection.ClassId);
        FirstSeen = time;
        StationarySince = time;
        _anchorX = _cx.Position;
        _anchorY = _cy.Position;
        _origin = box.FootPoint;
        State = TrackState.Tentative;
        Observe(detection, time);
    }

    /// <summary>Moves the box to where its motion says it is at <paramref name="time"/>.</summary>
    public void Predict(DateTime time)
    {
        SeenThisFrame = false;
        var dt = (float)(time - _predictedAt).TotalSeconds;
        if (dt <= 0)
            return;
        var acceleration = AccelerationStd * Size;
        _cx.Predict(dt, acceleration);
        _cy.Predict(dt, acceleration);
        _w.Predict(dt, acceleration);
        _h.Predict(dt, acceleration);
        _predictedAt = time;
    }

    /// <summary>The scene was seen to be still, so nothing moved: the box stays and the velocity is forgotten.</summary>
    public void Hold(DateTime time)
    {
        SeenThisFrame = false;
        _cx.Stop();
        _cy.Stop();
        _w.Stop();
        _h.Stop();
        if (time > _predictedAt)
            _predictedAt = time;
    }

    /// <summary>
    /// Not looked at, but still moving when last seen: the box goes on with the object's velocity and keeps its size,
    /// as on a miss (a size extrapolated through a second of skipped frames could shrink to nothing).
    /// </summary>
    public void Coast(DateTime time)
    {
        _w.Stop();
        _h.Stop();
        Predict(time);
    }

    public void Update(in Detection detection, DateTime time, float stationaryTolerance)
    {
        var measurementStd = MeasurementStd * Size + 1;
        var box = detection.Box;
        var centre = box.Centre;
        _cx.Update(centre.X, measurementStd);
        _cy.Update(centre.Y, measurementStd);
        _w.Update(box.Width, measurementStd);
        _h.Update(box.Height, measurementStd);
        Observe(detection, time);

        // Stationary means the centre stayed near one spot; a jump beyond the tolerance starts the clock again.
        var dx = _cx.Position - _anchorX;
        var dy = _cy.Position - _anchorY;
        var tolerance = stationaryTolerance * Size;
        if (dx * dx + dy * dy > tolerance * tolerance)
        {
            _anchorX = _cx.Position;
            _anchorY = _cy.Position;
            StationarySince = time;
        }
    }

    /// <summary>
    /// Not found on an analysed frame. The box keeps moving with the object's last velocity (it may be behind
    /// a post) but stops changing size: a shrinking box extrapolated for two seconds would vanish.
    /// </summary>
    public void Miss()
    {
        ConsecutiveMisses++;
        _w.Stop();
        _h.Stop();
    }

    /// <summary>The median of the last detection scores: one lucky or unlucky frame does not decide.</summary>
    public float MedianScore()
    {
        Span<float> sorted = stackalloc float[ScoreHistoryLength];
        var count = Math.Min(_scoreCount, ScoreHistoryLength);
        if (count == 0)
            return 0;
        _scores.AsSpan(0, count).CopyTo(sorted);
        sorted = sorted[..count];
        sorted.Sort();
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }

    public TrackedObject ToTrackedObject(DateTime now, double stationaryAfterSeconds) => new(
        Id, State, ClassId, LastScore, MedianScore(), TopScore, Box, _cx.Velocity, _cy.Velocity, _origin,
        SeenThisFrame, FirstSeen, LastSeen, StationarySince, (now - StationarySince).TotalSeconds >= stationaryAfterSeconds);

    /// <summary>A tentative track is believed once it has been seen often enough and its median score reaches its label's minimum.</summary>
    public void TryConfirm(int confirmHits, float minScore)
    {
        if (State == TrackState.Tentative && Hits >= confirmHits && MedianScore() >= minScore)
            State = TrackState.Confirmed;
    }

    private void Observe(in Detection detection, DateTime time)
    {
        SeenThisFrame = true;
        ConsecutiveMisses = 0;
        LastSeen = time;
        LastScore = detection.Score;
        TopScore = MathF.Max(TopScore, detection.Score);
        _scores[_scoreCount++ % ScoreHistoryLength] = detection.Score;
        Hits++;
        VoteForClass(detection.ClassId, detection.Score);
    }

    private void VoteForClass(int classId, float score)
    {
        var slot = Array.IndexOf(_classIds, classId, 0, _classCount);
        if (slot < 0)
        {
            if (_classCount == MaxClasses)
                return;
            slot = _classCount++;
            _classIds[slot] = classId;
            _classScores[slot] = 0;
        }
        _classScores[slot] += score;
        var best = 0;
        for (var i = 1; i < _classCount; i++)
        {
            if (_classScores[i] > _classScores[best])
                best = i;
        }
        ClassId = _classIds[best];
    }
}
