using System.Globalization;

namespace Surveillance.EndToEnd;

/// <summary>
/// One way of detecting that the capacity and accuracy runs compare: the whole-frame path as shipped (the square model),
/// a model shaped like the detect frame, regions, or both.
/// </summary>
/// <param name="Shaped">The whole-frame model's input is the detect frame's shape (tools/shaped-models.sh), not the square.</param>
/// <param name="Regions">Frames are detected in regions (<c>Detector:Regions</c>) where that is cheaper.</param>
/// <param name="Quantized">The INT8 copies (tools/quantize_int8.py) of the square and the region model.</param>
public sealed record DetectionConfiguration(string Name, bool Shaped, bool Regions, bool Quantized = false)
{
    /// <summary>What every other configuration is a ratio of.</summary>
    public static readonly DetectionConfiguration WholeFrame = new("whole frame", Shaped: false, Regions: false);

    public static readonly IReadOnlyList<DetectionConfiguration> All =
    [
        WholeFrame,
        new("shaped model", Shaped: true, Regions: false),
        new("regions", Shaped: false, Regions: true),
        new("shaped model + regions", Shaped: true, Regions: true),
        new("INT8", Shaped: false, Regions: false, Quantized: true),
        new("INT8 + regions", Shaped: false, Regions: true, Quantized: true),
    ];

    /// <summary>The whole-frame model for a detect frame of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public string Model(string squareModel, int width, int height) =>
        Quantized ? "models/yolov5s-640-int8.onnx" : Shaped ? $"models/yolov5s-{RoundUp32(width)}x{RoundUp32(height)}.onnx" : squareModel;

    /// <summary>The engine's settings for this configuration, as <c>Section:Key</c> pairs.</summary>
    public Dictionary<string, string> Settings(string repoRoot, string squareModel, int width, int height) => new()
    {
        ["Detector:Model"] = Path.GetFullPath(Path.Combine(repoRoot, Model(squareModel, width, height))),
        ["Detector:Regions"] = Regions ? "true" : "false",
        ["Detector:RegionModel"] = Path.GetFullPath(Path.Combine(repoRoot, "models", Quantized ? "yolov5s-320x320-int8.onnx" : "yolov5s-320x320.onnx")),
    };

    // YOLOv5 takes sides that are multiples of its largest stride.
    private static int RoundUp32(int side) => (side + 31) / 32 * 32;

    public override string ToString() => Name.ToString(CultureInfo.InvariantCulture);
}
