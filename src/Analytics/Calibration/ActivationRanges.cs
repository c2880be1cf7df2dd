using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Surveillance.Analytics.Calibration;

/// <summary>
/// The ranges each output of a model takes over real frames, run in the engine's own ONNX Runtime session
/// (<see cref="InferenceSessions"/>) on the engine's own YOLOv5 input (<see cref="LetterboxPreprocessor"/>).
/// tools/quantize_int8.py writes a copy of the detector with every tensor it quantizes exposed as an output, and turns
/// these ranges into the INT8 model's scales.
/// </summary>
/// <remarks>
/// Two passes over the frames: the first finds each output's smallest and largest value, the second counts its values
/// in <see cref="Bins"/> bins between them, from which the ranges that leave out the rarest values are read (the
/// central 99.99% and so on): a few extreme values would otherwise stretch a tensor's 256 steps over values it almost
/// never takes.
/// </remarks>
public sealed class ActivationRanges : IDisposable
{
    /// <summary>Histogram bins per output between its smallest and largest value.</summary>
    public const int Bins = 4096;

    /// <summary>The central shares of the values, in percent, whose ranges are written beside the whole range.</summary>
    public static readonly double[] Percentiles = [99.9, 99.99, 99.999];

    private readonly InferenceSession _session;
    private readonly LetterboxPreprocessor _preprocessor;
    private readonly string _inputName;
    private readonly string[] _outputNames;
    private readonly float[] _minimum;
    private readonly float[] _maximum;
    private readonly long[][] _histograms;
    private readonly RunOptions _runOptions = new();

    public ActivationRanges(DetectorOptions options)
    {
        _session = InferenceSessions.Open(options);
        try
        {
            var (inputName, input) = _session.InputMetadata.Single();
            if (input.ElementType != typeof(float) || input.Dimensions is not [1, > 0, > 0, 3])
                throw new InvalidOperationException(
                    $"Model '{options.Model}': input '{inputName}' [{string.Join(',', input.Dimensions)}] is not a YOLOv5 NHWC input [1,H,W,3]; calibrate the copy that tools/quantize_int8.py expose writes.");
            _inputName = inputName;
            _preprocessor = new LetterboxPreprocessor(input.Dimensions[2], input.Dimensions[1]);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        _outputNames = [.. _session.OutputMetadata.Keys];
        _minimum = [.. _outputNames.Select(_ => float.PositiveInfinity)];
        _maximum = [.. _outputNames.Select(_ => float.NegativeInfinity)];
        _histograms = [.. _outputNames.Select(_ => new long[Bins])];
    }

    /// <summary>A BGR frame to calibrate on.</summary>
    public sealed record Frame(byte[] Bgr, int Width, int Height);

    /// <summary>Runs the model twice on each frame: for the extremes, then for the histograms.</summary>
    public void Measure(IReadOnlyList<Frame> frames)
    {
        if (frames.Count == 0)
            throw new ArgumentException("No frame to calibrate on.", nameof(frames));
        foreach (var frame in frames)
            Run(frame, Widen);
        foreach (var frame in frames)
            Run(frame, Count);
        FrameCount = frames.Count;
    }

    /// <summary>Frames measured.</summary>
    public int FrameCount { get; private set; }

    private void Run(Frame frame, Action<int, ReadOnlySpan<float>> use)
    {
        _preprocessor.Process(frame.Bgr, frame.Width, frame.Height);
        using var input = OrtValue.CreateTensorValueFromMemory(_preprocessor.Tensor, _preprocessor.Shape);
        using var outputs = _session.Run(_runOptions, [_inputName], [input], _outputNames);
        for (var i = 0; i < _outputNames.Length; i++)
            use(i, outputs[i].GetTensorDataAsSpan<float>());
    }

    private void Widen(int output, ReadOnlySpan<float> values)
    {
        var (low, high) = (_minimum[output], _maximum[output]);
        foreach (var value in values)
        {
            low = MathF.Min(low, value);
            high = MathF.Max(high, value);
        }
        (_minimum[output], _maximum[output]) = (low, high);
    }

    private void Count(int output, ReadOnlySpan<float> values)
    {
        var histogram = _histograms[output];
        var low = _minimum[output];
        var width = (_maximum[output] - low) / Bins;
        if (!(width > 0))
        {
            histogram[0] += values.Length;
            return;
        }
        foreach (var value in values)
            histogram[Math.Clamp((int)((value - low) / width), 0, Bins - 1)]++;
    }

    /// <summary>The range holding the central <paramref name="percent"/>% of an output's values, to the nearest bin.</summary>
    private (float Low, float High) Central(int output, double percent)
    {
        var histogram = _histograms[output];
        var total = histogram.Sum();
        var tail = total * (100 - percent) / 200;
        var (low, width) = (_minimum[output], (_maximum[output] - _minimum[output]) / Bins);
        int first = 0, last = Bins - 1;
        for (long below = 0; first < Bins - 1 && below + histogram[first] <= tail; first++)
            below += histogram[first];
        for (long above = 0; last > first && above + histogram[last] <= tail; last--)
            above += histogram[last];
        return (low + first * width, low + (last + 1) * width);
    }

    /// <summary>
    /// Writes <c>{"frames": N, "tensors": {"name": {"min": a, "max": b, "99.99": [low, high], ...}, ...}}</c>, the outputs
    /// in the graph's order.
    /// </summary>
    public void Write(Stream stream)
    {
        if (FrameCount == 0)
            throw new InvalidOperationException("No frame was measured: there are no ranges to write.");
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("frames", FrameCount);
        json.WriteStartObject("tensors");
        for (var i = 0; i < _outputNames.Length; i++)
        {
            json.WriteStartObject(_outputNames[i]);
            json.WriteNumber("min", _minimum[i]);
            json.WriteNumber("max", _maximum[i]);
            foreach (var percent in Percentiles)
            {
                var (low, high) = Central(i, percent);
                json.WriteStartArray(percent.ToString(CultureInfo.InvariantCulture));
                json.WriteNumberValue(Math.Max(low, _minimum[i]));
                json.WriteNumberValue(Math.Min(high, _maximum[i]));
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _preprocessor.Dispose();
        _session.Dispose();
    }
}
