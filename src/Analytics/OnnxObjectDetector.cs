using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Surveillance.Analytics;

/// <summary>
/// Runs a YOLOv5 or NanoDet ONNX model with ONNX Runtime. Input and output tensors for every batch size up
/// to the capacity are allocated and bound once, so a run allocates nothing; decoding and NMS work in a
/// reused candidate buffer.
/// </summary>
public sealed class OnnxObjectDetector : IObjectDetector
{
    private readonly InferenceSession _session;
    private readonly ModelLayout _layout;
    private readonly IPreprocessor[] _preprocessors;
    private readonly InputGeometry[] _geometries;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input;
    private readonly float[][] _outputBuffers;
    private readonly int[] _outputImageLengths;

    /// <summary>Bindings by batch size − 1: the same buffers, seen as tensors of that many images.</summary>
    private readonly OrtIoBinding[] _bindings;
    private readonly List<OrtValue> _boundValues = [];
    private readonly Detection[] _candidates;
    private readonly ClassFilter _classes;
    private readonly float _scoreThreshold;
    private readonly float _iouThreshold;
    private readonly AnalyticsMetrics _metrics;

    /// <param name="metrics">Where each model run's time and batch size are counted.</param>
    public OnnxObjectDetector(DetectorOptions options, AnalyticsMetrics metrics)
    {
        _metrics = metrics;
        _session = InferenceSessions.Open(options);
        try
        {
            _layout = ModelLayout.Of(_session, options.Model);
            if (options.BatchSize > 1 && !_layout.DynamicBatch)
            {
                throw new DetectorSettingException(
                    $"Detector:BatchSize {options.BatchSize} needs a model with a dynamic batch dimension, and '{options.Model}' has batch 1 " +
                    "(tools/dynamic_batch.py makes such a copy of it); or set Detector:BatchSize to 1.");
            }
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        BatchCapacity = options.BatchSize;
        var (width, height) = (_layout.InputWidth, _layout.InputHeight);
        var imageLength = 3 * width * height;
        _input = GC.AllocateArray<float>(BatchCapacity * imageLength, pinned: true);
        _preprocessors = new IPreprocessor[BatchCapacity];
        for (var slot = 0; slot < BatchCapacity; slot++)
        {
            _preprocessors[slot] = _layout.Family == ModelFamily.YoloV5
                ? new LetterboxPreprocessor(width, height, _input, slot)
                : new ResizePreprocessor(width, _input, slot);
        }
        _geometries = new InputGeometry[BatchCapacity];

        var outputNames = _layout.OutputNames;
        _outputBuffers = new float[outputNames.Count][];
        _outputImageLengths = new int[outputNames.Count];
        var candidateCapacity = 0;
        for (var i = 0; i < outputNames.Count; i++)
        {
            var dims = _session.OutputMetadata[outputNames[i]].Dimensions;
            _outputImageLengths[i] = dims.Skip(1).Aggregate(1, (a, b) => a * b);
            _outputBuffers[i] = GC.AllocateArray<float>(BatchCapacity * _outputImageLengths[i], pinned: true);
            if (_layout.Family == ModelFamily.YoloV5 || dims[^1] == CocoClasses.Count)
                candidateCapacity += dims[1];
        }
        _candidates = new Detection[candidateCapacity];

        _bindings = new OrtIoBinding[BatchCapacity];
        var imageShape = _preprocessors[0].Shape;
        for (var batch = 1; batch <= BatchCapacity; batch++)
        {
            var binding = _session.CreateIoBinding();
            binding.BindInput(_layout.InputName, Bound(_input, imageLength, [batch, .. imageShape[1..]]));
            for (var i = 0; i < outputNames.Count; i++)
            {
                long[] shape = [batch, .. _session.OutputMetadata[outputNames[i]].Dimensions.Skip(1).Select(d => (long)d)];
                binding.BindOutput(outputNames[i], Bound(_outputBuffers[i], _outputImageLengths[i], shape));
            }
            _bindings[batch - 1] = binding;
        }

        _classes = new ClassFilter(options.EffectiveClasses);
        _scoreThreshold = options.ScoreThreshold;
        _iouThreshold = options.IouThreshold;

        // The first run of each input shape is slow: ONNX Runtime plans its memory, and on CUDA cuDNN tries every
        // convolution algorithm for the shape (seconds for a batch of eight). Paid here, at start, for every batch
        // size a worker may run, rather than by live frames whenever a load first makes a batch of that size.
        foreach (var binding in _bindings)
            _session.RunWithBinding(_runOptions, binding);
    }

    public ModelFamily Family => _layout.Family;

    /// <summary>The model's input width in pixels; a detect frame of this width and <see cref="InputHeight"/> is not padded.</summary>
    public int InputWidth => _layout.InputWidth;

    public int InputHeight => _layout.InputHeight;

    public int BatchCapacity { get; }

    public void Load(int slot, ReadOnlySpan<byte> bgr, int width, int height) =>
        _geometries[slot] = _preprocessors[slot].Process(bgr, width, height);

    /// <summary>Prepares the rectangle <paramref name="region"/> of a frame as image <paramref name="slot"/> of the next run; its results come in pixels of the whole frame.</summary>
    public void Load(int slot, ReadOnlySpan<byte> bgr, int width, int height, PixelRegion region) =>
        _geometries[slot] = _preprocessors[slot] is LetterboxPreprocessor letterbox
            ? letterbox.Process(bgr, width, height, region)
            : throw new InvalidOperationException($"regions need a YOLOv5 model; this one is {_layout.Family}");

    public ReadOnlySpan<Detection> Detect(ReadOnlySpan<byte> bgr, int width, int height)
    {
        Load(0, bgr, width, height);
        Run(1);
        return Results(0);
    }

    public void Run(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, BatchCapacity);
        var started = Stopwatch.GetTimestamp();
        _session.RunWithBinding(_runOptions, _bindings[count - 1]);
        _metrics.InferenceDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        _metrics.BatchSize.Observe(count);
    }

    public ReadOnlySpan<Detection> Results(int slot)
    {
        var geometry = _geometries[slot];
        var count = _layout.Family == ModelFamily.YoloV5
            ? YoloV5Decoder.Decode(Output(0, slot), _layout.InputWidth, _layout.InputHeight, geometry, _scoreThreshold, _classes, _candidates)
            : DecodeNanoDet(slot, geometry);
        var kept = NonMaxSuppression.Apply(_candidates.AsSpan(0, count), _iouThreshold);
        return _candidates.AsSpan(0, kept);
    }

    private ReadOnlySpan<float> Output(int index, int slot) =>
        _outputBuffers[index].AsSpan(slot * _outputImageLengths[index], _outputImageLengths[index]);

    private int DecodeNanoDet(int slot, in InputGeometry geometry)
    {
        var count = 0;
        for (var level = 0; level < 3; level++)
        {
            var scores = Output(level, slot);
            var stride = _layout.StrideOf(scores.Length / CocoClasses.Count);
            count += NanoDetDecoder.DecodeLevel(scores, Output(level + 3, slot), stride, _layout.InputWidth, geometry,
                _scoreThreshold, _classes, _candidates.AsSpan(count));
        }
        return count;
    }

    private OrtValue Bound(float[] buffer, int imageLength, long[] shape)
    {
        var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            buffer.AsMemory(0, (int)shape[0] * imageLength), shape);
        _boundValues.Add(value);
        return value;
    }

    public void Dispose()
    {
        foreach (var binding in _bindings)
            binding?.Dispose();
        foreach (var value in _boundValues)
            value.Dispose();
        _runOptions.Dispose();
        foreach (var preprocessor in _preprocessors)
            preprocessor?.Dispose();
        _session.Dispose();
    }
}
