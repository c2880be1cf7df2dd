using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Surveillance.Analytics;

/// <summary>
/// Runs a YOLOv5 or NanoDet ONNX model on CPU with ONNX Runtime. Input and output tensors are allocated once
/// and bound for every run; decoding and NMS work in a reused candidate buffer.
/// </summary>
public sealed class OnnxObjectDetector : IObjectDetector
{
    private readonly InferenceSession _session;
    private readonly ModelLayout _layout;
    private readonly IPreprocessor _preprocessor;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputs;
    private readonly string[] _outputNames;
    private readonly float[][] _outputBuffers;
    private readonly OrtValue[] _outputs;
    private readonly Detection[] _candidates;
    private readonly ClassFilter _classes;
    private readonly float _scoreThreshold;
    private readonly float _iouThreshold;

    public OnnxObjectDetector(DetectorOptions options)
    {
        if (!File.Exists(options.Model))
            throw new FileNotFoundException($"Model file '{options.Model}' does not exist.", options.Model);

        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.EffectiveThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(options.Model, sessionOptions);
        try
        {
            _layout = ModelLayout.Of(_session, options.Model);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _preprocessor = _layout.Family == ModelFamily.YoloV5
            ? new LetterboxPreprocessor(_layout.InputSize)
            : new ResizePreprocessor(_layout.InputSize);
        _inputNames = [_layout.InputName];
        _inputs = [OrtValue.CreateTensorValueFromMemory(_preprocessor.Tensor, _preprocessor.Shape)];

        _outputNames = [.. _layout.OutputNames];
        _outputBuffers = new float[_outputNames.Length][];
        _outputs = new OrtValue[_outputNames.Length];
        var candidateCapacity = 0;
        for (var i = 0; i < _outputNames.Length; i++)
        {
            long[] shape = [.. _session.OutputMetadata[_outputNames[i]].Dimensions.Select(d => (long)Math.Max(d, 1))];
            _outputBuffers[i] = GC.AllocateArray<float>((int)shape.Aggregate(1L, (a, b) => a * b), pinned: true);
            _outputs[i] = OrtValue.CreateTensorValueFromMemory(_outputBuffers[i], shape);
            if (_layout.Family == ModelFamily.YoloV5 || shape[^1] == CocoClasses.Count)
                candidateCapacity += (int)shape[1];
        }
        _candidates = new Detection[candidateCapacity];

        _classes = new ClassFilter(options.EffectiveClasses);
        _scoreThreshold = options.ScoreThreshold;
        _iouThreshold = options.IouThreshold;
    }

    public ModelFamily Family => _layout.Family;

    public int InputSize => _layout.InputSize;

    public ReadOnlySpan<Detection> Detect(ReadOnlySpan<byte> bgr, int width, int height)
    {
        var geometry = _preprocessor.Process(bgr, width, height);

        var started = Stopwatch.GetTimestamp();
        _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);
        AnalyticsMetrics.InferenceDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);

        var count = _layout.Family == ModelFamily.YoloV5
            ? YoloV5Decoder.Decode(_outputBuffers[0], _layout.InputSize, geometry, _scoreThreshold, _classes, _candidates)
            : DecodeNanoDet(geometry);
        var kept = NonMaxSuppression.Apply(_candidates.AsSpan(0, count), _iouThreshold);
        return _candidates.AsSpan(0, kept);
    }

    private int DecodeNanoDet(in InputGeometry geometry)
    {
        var count = 0;
        for (var level = 0; level < 3; level++)
        {
            var scores = _outputBuffers[level];
            var stride = _layout.StrideOf(scores.Length / CocoClasses.Count);
            count += NanoDetDecoder.DecodeLevel(scores, _outputBuffers[level + 3], stride, _layout.InputSize, geometry,
                _scoreThreshold, _classes, _candidates.AsSpan(count));
        }
        return count;
    }

    public void Dispose()
    {
        foreach (var value in _outputs)
            value.Dispose();
        foreach (var value in _inputs)
            value.Dispose();
        _runOptions.Dispose();
        _preprocessor.Dispose();
        _session.Dispose();
    }
}
