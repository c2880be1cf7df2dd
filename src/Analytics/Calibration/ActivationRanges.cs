using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Surveillance.Analytics.Calibration;

/// <summary>
/// The smallest and largest value each output of a model takes over real frames, run in the engine's own ONNX Runtime
/// session (<see cref="InferenceSessions"/>) on the engine's own YOLOv5 input (<see cref="LetterboxPreprocessor"/>).
/// tools/quantize_int8.py writes a copy of the detector with every tensor it quantizes exposed as an output, and turns
/// these ranges into the INT8 model's scales.
/// </summary>
public sealed class ActivationRanges : IDisposable
{
    private readonly InferenceSession _session;
    private readonly LetterboxPreprocessor _preprocessor;
    private readonly string _inputName;
    private readonly string[] _outputNames;
    private readonly float[] _minimum;
    private readonly float[] _maximum;
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
    }

    /// <summary>Frames run so far.</summary>
    public int Frames { get; private set; }

    /// <summary>Runs the model on one BGR frame and widens each output's range to what it held.</summary>
    public void Add(ReadOnlySpan<byte> bgr, int width, int height)
    {
        _preprocessor.Process(bgr, width, height);
        using var input = OrtValue.CreateTensorValueFromMemory(_preprocessor.Tensor, _preprocessor.Shape);
        using var outputs = _session.Run(_runOptions, [_inputName], [input], _outputNames);
        for (var i = 0; i < _outputNames.Length; i++)
        {
            var (low, high) = (_minimum[i], _maximum[i]);
            foreach (var value in outputs[i].GetTensorDataAsSpan<float>())
            {
                low = MathF.Min(low, value);
                high = MathF.Max(high, value);
            }
            (_minimum[i], _maximum[i]) = (low, high);
        }
        Frames++;
    }

    /// <summary>Writes <c>{"frames": N, "tensors": {"name": {"min": a, "max": b}, ...}}</c>, outputs in the graph's order.</summary>
    public void Write(Stream stream)
    {
        if (Frames == 0)
            throw new InvalidOperationException("No frame was run: there are no ranges to write.");
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("frames", Frames);
        json.WriteStartObject("tensors");
        for (var i = 0; i < _outputNames.Length; i++)
        {
            json.WriteStartObject(_outputNames[i]);
            json.WriteNumber("min", _minimum[i]);
            json.WriteNumber("max", _maximum[i]);
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
