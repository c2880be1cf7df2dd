using BenchmarkDotNet.Attributes;
using Surveillance.Analytics.Motion;
using Surveillance.Analytics.Scene;

namespace Surveillance.Benchmarks;

/// <summary>The motion gate's look at a real 640×480 frame (shrink, grey, blur, difference, count).</summary>
[MemoryDiagnoser]
public class MotionGateBenchmarks
{
    private byte[] _frame = [];
    private MotionGate _gate = null!;
    private DateTime _now;

    [GlobalSetup]
    public void Setup()
    {
        _frame = BenchmarkFrames.Vtest200();
        _gate = new MotionGate(new MotionGateOptions(), enabled: true, SceneMask.None);
        _now = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        _gate.Decide(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height, _now, 0, 0);
    }

    [Benchmark(Description = "Motion gate, 640x480")]
    public GateDecision Decide()
    {
        _now += TimeSpan.FromMilliseconds(200);
        return _gate.Decide(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height, _now, 0, 0);
    }

    [GlobalCleanup]
    public void Cleanup() => _gate.Dispose();
}
