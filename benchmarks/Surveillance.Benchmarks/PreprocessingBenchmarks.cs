using BenchmarkDotNet.Attributes;
using Surveillance.Analytics;

namespace Surveillance.Benchmarks;

/// <summary>Frame → input tensor for each model family, on a real 640×480 frame.</summary>
[MemoryDiagnoser]
public class PreprocessingBenchmarks
{
    private byte[] _frame = [];
    private LetterboxPreprocessor _letterbox = null!;
    private ResizePreprocessor _resize = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frame = BenchmarkFrames.Vtest200();
        _letterbox = new LetterboxPreprocessor(640);
        _resize = new ResizePreprocessor(416);
    }

    [Benchmark(Baseline = true, Description = "YOLOv5 letterbox 640, NHWC")]
    public InputGeometry Letterbox640() => _letterbox.Process(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height);

    [Benchmark(Description = "NanoDet resize 416, NCHW")]
    public InputGeometry Resize416() => _resize.Process(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height);

    [GlobalCleanup]
    public void Cleanup()
    {
        _letterbox.Dispose();
        _resize.Dispose();
    }
}
