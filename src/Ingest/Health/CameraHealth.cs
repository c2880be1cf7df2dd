namespace Surveillance.Ingest.Health;

/// <summary>
/// Measures one camera's stream: frame rate over the last seconds, reconnects and stalls over the last hour.
/// Its state says what is true now (frames at the expected rate or not), its grade what the last hour was like:
/// a camera back at full rate after an outage is online at once, and good again only once the hour has passed.
/// Fed by the camera's supervisor, read by status publishing and metrics. Thread-safe; recording a frame
/// allocates nothing.
/// </summary>
public sealed class CameraHealth
{
    /// <summary>Frame rate is measured over this many one-second buckets.</summary>
    private const int FpsWindowSeconds = 10;

    /// <summary>Streams younger than this are not judged on frame rate: the window is still filling.</summary>
    private static readonly TimeSpan MinimumFpsSample = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>The share of the expected frame rate at which a stream counts as running as it should.</summary>
    private const double FullRate = 0.9;

    private readonly TimeProvider _time;
    private readonly CameraIngestMetrics _metrics;
    private readonly Lock _lock = new();
    // One bucket more than the window: the current second fills its own bucket without overwriting the oldest
    // whole second still counted (sharing it read 10% low, right at the line between a good and a fair link).
    private readonly long[] _bucketSecond = new long[FpsWindowSeconds + 1];
    private readonly int[] _bucketFrames = new int[FpsWindowSeconds + 1];
    private readonly Queue<DateTime> _reconnects = new();
    private readonly Queue<DateTime> _stalls = new();
    private CameraState _state = CameraState.Starting;
    private DateTime _stateSince;
    private DateTime? _lastFrameAt;
    private DateTime? _streamingSince;
    private bool _decoderEverStarted;
    private string? _lastError;

    /// <param name="metrics">The camera's series: reconnects, stalls, and state, grade and rate at each snapshot.</param>
    public CameraHealth(string cameraId, double expectedFps, TimeProvider time, CameraIngestMetrics metrics)
    {
        CameraId = cameraId;
        _metrics = metrics;
        ExpectedFps = expectedFps;
        _time = time;
        _stateSince = time.GetUtcNow().UtcDateTime;
        Array.Fill(_bucketSecond, -1);
    }

    public string CameraId { get; }

    public double ExpectedFps { get; }

    /// <summary>The decoder was (re)started. Every start after the first is a reconnect.</summary>
    public void DecoderStarted()
    {
        var now = Now;
        lock (_lock)
        {
            if (_decoderEverStarted)
            {
                _reconnects.Enqueue(now);
                _metrics.Reconnects.Inc();
            }
            _decoderEverStarted = true;
            _streamingSince = null;
        }
    }

    public void FrameReceived()
    {
        var now = Now;
        var second = now.Ticks / TimeSpan.TicksPerSecond;
        lock (_lock)
        {
            var bucket = (int)(second % _bucketSecond.Length);
            if (_bucketSecond[bucket] != second)
            {
                _bucketSecond[bucket] = second;
                _bucketFrames[bucket] = 0;
            }
            _bucketFrames[bucket]++;
            _lastFrameAt = now;
            _streamingSince ??= now;
            if (_state is CameraState.Starting or CameraState.Offline)
                SetState(CameraState.Online, now);
        }
    }

    /// <summary>No frame arrived within the stall timeout.</summary>
    public void Stalled()
    {
        lock (_lock)
            _stalls.Enqueue(Now);
        _metrics.Stalls.Inc();
    }

    /// <summary>The decoder stopped; <paramref name="reason"/> must hold no credentials.</summary>
    public void DecoderStopped(string reason)
    {
        lock (_lock)
        {
            _lastError = reason;
            _streamingSince = null;
            SetState(CameraState.Offline, Now);
        }
    }

    public CameraHealthSnapshot Snapshot()
    {
        var now = Now;
        lock (_lock)
        {
            Trim(_reconnects, now);
            Trim(_stalls, now);
            var fps = MeasuredFps(now);
            var streaming = _state is CameraState.Online or CameraState.Degraded;
            var ratio = RateRatio(fps, now);
            var grade = streaming ? Judge(ratio) : ConnectionGrade.None;
            if (streaming)
                SetState(ratio >= FullRate ? CameraState.Online : CameraState.Degraded, now);

            var snapshot = new CameraHealthSnapshot(CameraId, _state, grade, Math.Round(fps, 2), ExpectedFps,
                _reconnects.Count, _stalls.Count, _lastFrameAt, _stateSince, _lastError);
            _metrics.Publish(snapshot);
            return snapshot;
        }
    }

    /// <summary>The measured rate against the expected one; a stream that just started has had no time to show one and counts as full.</summary>
    private double RateRatio(double fps, DateTime now) =>
        _streamingSince is { } since && now - since >= MinimumFpsSample ? fps / ExpectedFps : 1;

    private ConnectionGrade Judge(double ratio)
    {
        if (ratio >= FullRate && _reconnects.Count <= 2 && _stalls.Count == 0)
            return ConnectionGrade.Good;
        if (ratio >= 0.6 && _reconnects.Count <= 10 && _stalls.Count <= 3)
            return ConnectionGrade.Fair;
        return ConnectionGrade.Poor;
    }

    private double MeasuredFps(DateTime now)
    {
        if (_streamingSince is not { } since)
            return 0;
        var nowSecond = now.Ticks / TimeSpan.TicksPerSecond;
        var sinceSecond = since.Ticks / TimeSpan.TicksPerSecond;
        var frames = 0;
        // Whole seconds only, of this stream only: the current second is still filling, the one it started in was
        // partly before it, and those before it belong to the stream before a restart.
        for (var i = 0; i < _bucketSecond.Length; i++)
        {
            var second = _bucketSecond[i];
            if (second < nowSecond && second >= nowSecond - FpsWindowSeconds && second > sinceSecond)
                frames += _bucketFrames[i];
        }
        var seconds = Math.Min(FpsWindowSeconds, nowSecond - sinceSecond - 1);
        return seconds <= 0 ? 0 : frames / (double)seconds;
    }

    private void SetState(CameraState state, DateTime now)
    {
        if (_state == state)
            return;
        _state = state;
        _stateSince = now;
    }

    private static void Trim(Queue<DateTime> events, DateTime now)
    {
        while (events.Count > 0 && now - events.Peek() > Hour)
            events.Dequeue();
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;
}
