using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Surveillance.Analytics;

namespace Surveillance.Benchmarks;

/// <summary>
/// Decoding and NMS of real model outputs: each model is run once on frame 200 of vtest.avi in setup, and
/// the benchmark decodes that output again and again.
/// </summary>
[MemoryDiagnoser]
public class PostprocessingBenchmarks
{
    private readonly ClassFilter _classes = new(DetectorOptions.DefaultClasses);
    private float[] _yoloOutput = [];
    private InputGeometry _yoloGeometry;
    private float[][] _nanoDetOutputs = [];
    private int[] _nanoDetStrides = [];
    private InputGeometry _nanoDetGeometry;
    private Detection[] _candidates = [];

    [Params(0.25f, 0.5f)]
    public float ScoreThreshold { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var frame = BenchmarkFrames.Vtest200();

        using (var pre = new LetterboxPreprocessor(640))
        {
            _yoloGeometry = pre.Process(frame, BenchmarkFrames.Width, BenchmarkFrames.Height);
            _yoloOutput = RunOnce(BenchmarkFrames.Model("yolov5s-640.onnx"), pre)[0];
        }

        using (var pre = new ResizePreprocessor(416))
        {
            _nanoDetGeometry = pre.Process(frame, BenchmarkFrames.Width, BenchmarkFrames.Height);
            using var session = new InferenceSession(BenchmarkFrames.Model("nanodet-m-416.onnx"));
            var layout = ModelLayout.Of(session, "nanodet-m-416.onnx");
            _nanoDetOutputs = RunOnce(session, layout, pre);
            _nanoDetStrides = [.. _nanoDetOutputs.Take(3).Select(o => layout.StrideOf(o.Length / CocoClasses.Count))];
        }

        _candidates = new Detection[_yoloOutput.Length / YoloV5Decoder.RowLength];
    }

    [Benchmark(Baseline = true, Description = "YOLOv5 decode + NMS (25200 rows)")]
    public int YoloV5()
    {
        var count = YoloV5Decoder.Decode(_yoloOutput, 640, 640, _yoloGeometry, ScoreThreshold, _classes, _candidates);
        return NonMaxSuppression.Apply(_candidates.AsSpan(0, count), 0.45f);
    }

    [Benchmark(Description = "NanoDet decode + NMS (3549 points)")]
    public int NanoDet()
    {
        var count = 0;
        for (var level = 0; level < 3; level++)
        {
            count += NanoDetDecoder.DecodeLevel(_nanoDetOutputs[level], _nanoDetOutputs[level + 3], _nanoDetStrides[level], 416,
                _nanoDetGeometry, ScoreThreshold, _classes, _candidates.AsSpan(count));
        }
        return NonMaxSuppression.Apply(_candidates.AsSpan(0, count), 0.45f);
    }

    private static float[][] RunOnce(string model, IPreprocessor pre)
    {
        using var session = new InferenceSession(model);
        return RunOnce(session, ModelLayout.Of(session, model), pre);
    }

    private static float[][] RunOnce(InferenceSession session, ModelLayout layout, IPreprocessor pre)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(pre.Tensor, pre.Shape);
        using var outputs = session.Run(new RunOptions(), [layout.InputName], [input], layout.OutputNames);
        return [.. outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray())];
    }
}
