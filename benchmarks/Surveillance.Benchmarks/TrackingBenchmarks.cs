using BenchmarkDotNet.Attributes;
using Surveillance.Analytics.Scene;
using Surveillance.Analytics.Tracking;

namespace Surveillance.Benchmarks;

/// <summary>One tracker update with 50 people in the picture (all matched, steady state).</summary>
[MemoryDiagnoser]
public class TrackingBenchmarks
{
    private readonly MovingCrowd _crowd = new();
    private MultiObjectTracker _tracker = null!;
    private DateTime _now;
    private int _frame;

    [GlobalSetup]
    public void Setup()
    {
        _tracker = new MultiObjectTracker(new TrackerOptions(), ObjectFilter.None);
        _now = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        // Warm up: every track confirmed, every buffer grown.
        for (var i = 0; i < MovingCrowd.Frames; i++)
            Update();
        if (_tracker.Count != MovingCrowd.Objects)
            throw new InvalidOperationException($"{_tracker.Count} tracks for {MovingCrowd.Objects} people: the tracker lost some.");
    }

    [Benchmark(Description = "Tracker update, 50 objects")]
    public int Update()
    {
        _now += MovingCrowd.FrameInterval;
        var tracks = _tracker.Update(_crowd.Detections[_frame], _now, MovingCrowd.Width, MovingCrowd.Height);
        _frame = (_frame + 1) % MovingCrowd.Frames;
        return tracks.Length;
    }
}
