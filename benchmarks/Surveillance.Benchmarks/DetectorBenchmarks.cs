using BenchmarkDotNet.Attributes;
using Surveillance.Analytics;

namespace Surveillance.Benchmarks;

/// <summary>One whole detection (preprocess, ONNX Runtime, decode, NMS) per model, on a real frame, 2 threads.</summary>
[MemoryDiagnoser]
public class DetectorBenchmarks
{
    private byte[] _frame = [];
    private OnnxObjectDetector _yolo = null!;
    private OnnxObjectDetector _nanoDet = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frame = BenchmarkFrames.Vtest200();
        // Counted in a registry of their own, as in an engine.
        var metrics = new AnalyticsMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
        _yolo = new OnnxObjectDetector(new DetectorOptions { Model = BenchmarkFrames.Model("yolov5s-640.onnx"), Threads = 2 }, metrics);
        _nanoDet = new OnnxObjectDetector(new DetectorOptions { Model = BenchmarkFrames.Model("nanodet-m-416.onnx"), Threads = 2 }, metrics);
    }

    [Benchmark(Baseline = true, Description = "YOLOv5s 640")]
    public int YoloV5s() => _yolo.Detect(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height).Length;

    [Benchmark(Description = "NanoDet-m 416")]
    public int NanoDet() => _nanoDet.Detect(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height).Length;

    [GlobalCleanup]
    public void Cleanup()
    {
        _yolo.Dispose();
        _nanoDet.Dispose();
    }
}
