using System.Globalization;

namespace Surveillance.EndToEnd;

/// <summary>
/// One way of detecting that the capacity and accuracy runs compare: the whole-frame path as shipped (the square model),
/// a model shaped like the detect frame, regions, or both.
/// </summary>
/// <param name="Shaped">The whole-frame model's input is the detect frame's shape (tools/shaped-models.sh), not the square.</param>
/// <param name="Regions">Frames are detected in regions (<c>Detector:Regions</c>) where that is cheaper.</param>
/// <param name="Quantized">
/// The INT8 copies (tools/quantize_int8.py) of the square and the region model, by the suffix of their names: <c>int8</c>,
/// or <c>int8-w7</c> with 7-bit weights for CPUs without VNNI; null for the float models.
/// </param>
public sealed record DetectionConfiguration(string Name, bool Shaped, bool Regions, string? Quantized = null)
{
    /// <summary>What every other configuration is a ratio of.</summary>
    public static readonly DetectionConfiguration WholeFrame = new("whole frame", Shaped: false, Regions: false);

    public static readonly IReadOnlyList<DetectionConfiguration> All =
    [
        WholeFrame,
        new("shaped model", Shaped: true, Regions: false),
        new("regions", Shaped: false, Regions: true),
        new("shaped model + regions", Shaped: true, Regions: true),
        new("INT8", Shaped: false, Regions: false, Quantized: "int8"),
        new("INT8 + regions", Shaped: false, Regions: true, Quantized: "int8"),
        new("INT8 7-bit weights", Shaped: false, Regions: false, Quantized: "int8-w7"),
        new("INT8 7-bit weights + regions", Shaped: false, Regions: true, Quantized: "int8-w7"),
    ];

    /// <summary>The whole-frame path and the configurations named in <paramref name="names"/> (comma-separated: no name holds a comma), in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<DetectionConfiguration> Named(string names)
    {
        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = wanted.Where(n => !All.Any(c => c.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"--configurations: no configuration named {string.Join(", ", unknown.Select(n => $"'{n}'"))} (known: {string.Join(", ", All.Select(c => c.Name))}).");
        return [.. All.Where(c => c == WholeFrame || wanted.Contains(c.Name, StringComparer.OrdinalIgnoreCase))];
    }

    /// <summary>The whole-frame model for a detect frame of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public string Model(string squareModel, int width, int height) =>
        Quantized is not null ? $"models/yolov5s-640-{Quantized}.onnx" : Shaped ? $"models/yolov5s-{RoundUp32(width)}x{RoundUp32(height)}.onnx" : squareModel;

    /// <summary>The engine's settings for this configuration, as <c>Section:Key</c> pairs.</summary>
    public Dictionary<string, string> Settings(string repoRoot, string squareModel, int width, int height) => new()
    {
        ["Detector:Model"] = Path.GetFullPath(Path.Combine(repoRoot, Model(squareModel, width, height))),
        ["Detector:Regions"] = Regions ? "true" : "false",
        ["Detector:RegionModel"] = Path.GetFullPath(Path.Combine(repoRoot, "models", Quantized is not null ? $"yolov5s-320x320-{Quantized}.onnx" : "yolov5s-320x320.onnx")),
    };

    // YOLOv5 takes sides that are multiples of its largest stride.
    private static int RoundUp32(int side) => (side + 31) / 32 * 32;

    public override string ToString() => Name.ToString(CultureInfo.InvariantCulture);
}
