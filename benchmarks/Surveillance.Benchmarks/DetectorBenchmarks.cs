using BenchmarkDotNet.Attributes;
using Surveillance.Analytics;

namespace Surveillance.Benchmarks;

/// <summary>
/// One whole detection (preprocess, ONNX Runtime, decode, NMS) per model, on a real frame, 2 threads. The YOLOv5s
/// copies shaped like the detect frame (tools/reshape_input.py) run on frames of their shape: 640×480 the frame the
/// square model letterboxes, 640×384 the same frame at the engine's default detect size, 640×360.
/// </summary>
/// <remarks>The minimum and median beside the mean: on a shared machine they move least with the neighbours' load.</remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class DetectorBenchmarks
{
    private byte[] _frame = [];
    private byte[] _frame640x360 = [];
    private OnnxObjectDetector _yolo = null!;
    private OnnxObjectDetector _yolo640x480 = null!;
    private OnnxObjectDetector _yolo640x384 = null!;
    private OnnxObjectDetector _nanoDet = null!;
    private OnnxObjectDetector _yoloInt8 = null!;
    private OnnxObjectDetector _yolo320 = null!;
    private OnnxObjectDetector _yolo320Int8 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frame = BenchmarkFrames.Vtest200();
        _frame640x360 = BenchmarkFrames.Vtest200(BenchmarkFrames.Width, 360);
        // Counted in a registry of their own, as in an engine.
        var metrics = new AnalyticsMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
        _yolo = new OnnxObjectDetector(new DetectorOptions { Model = BenchmarkFrames.Model("yolov5s-640.onnx"), Threads = 2 }, metrics);
        _yolo640x480 = new OnnxObjectDetector(new DetectorOptions { Model = BenchmarkFrames.Model("yolov5s-640x480.onnx"), Threads = 2 }, metrics);
        _yolo640x384 = new OnnxObjectDetector(new DetectorOptions { Model = BenchmarkFrames.Model("yolov5s-640x384.onnx"), Threads = 2 }, metrics);
        _nanoDet = new OnnxObjectDetector(new DetectorOptions { Model = BenchmarkFrames.Model("nanodet-m-416.onnx"), Threads = 2 }, metrics);
        _yoloInt8 = new OnnxObjectDetector(new DetectorOptions { Model = BenchmarkFrames.Model("yolov5s-640-int8.onnx"), Threads = 2 }, metrics);
        _yolo320 = new OnnxObjectDetector(new DetectorOptions { Model = BenchmarkFrames.Model("yolov5s-320x320.onnx"), Threads = 2 }, metrics);
        _yolo320Int8 = new OnnxObjectDetector(new DetectorOptions { Model = BenchmarkFrames.Model("yolov5s-320x320-int8.onnx"), Threads = 2 }, metrics);
    }

    [Benchmark(Baseline = true, Description = "YOLOv5s 640")]
    public int YoloV5s() => _yolo.Detect(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height).Length;

    [Benchmark(Description = "YOLOv5s 640x480, frame 640x480")]
    public int YoloV5s640x480() => _yolo640x480.Detect(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height).Length;

    [Benchmark(Description = "YOLOv5s 640x384, frame 640x360")]
    public int YoloV5s640x384() => _yolo640x384.Detect(_frame640x360, BenchmarkFrames.Width, 360).Length;

    [Benchmark(Description = "NanoDet-m 416")]
    public int NanoDet() => _nanoDet.Detect(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height).Length;

    [Benchmark(Description = "YOLOv5s 640 INT8")]
    public int YoloV5sInt8() => _yoloInt8.Detect(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height).Length;

    [Benchmark(Description = "YOLOv5s 320x320, frame 640x480")]
    public int YoloV5s320() => _yolo320.Detect(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height).Length;

    [Benchmark(Description = "YOLOv5s 320x320 INT8, frame 640x480")]
    public int YoloV5s320Int8() => _yolo320Int8.Detect(_frame, BenchmarkFrames.Width, BenchmarkFrames.Height).Length;

    [GlobalCleanup]
    public void Cleanup()
    {
        _yolo.Dispose();
        _yolo640x480.Dispose();
        _yolo640x384.Dispose();
        _nanoDet.Dispose();
        _yoloInt8.Dispose();
        _yolo320.Dispose();
        _yolo320Int8.Dispose();
    }
}
