using Microsoft.ML.OnnxRuntime;
using Surveillance.Analytics;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Analytics;

/// <summary>
/// The YOLOv5s copies shaped like the detect frame (models/yolov5s-640x480.onnx, yolov5s-640x384.onnx, written by
/// tools/reshape_input.py) against the square original, on the same real frames: they see the same picture without
/// the letterbox's grey bands, so they must find the same objects in the same places.
/// </summary>
public sealed class ShapedModelTests(ITestOutputHelper output)
{
    private static string Model640x480 => Path.Combine(RepoPaths.Models, "yolov5s-640x480.onnx");

    private static string Model640x384 => Path.Combine(RepoPaths.Models, "yolov5s-640x384.onnx");

    /// <summary>A confident box's partner: same class, boxes overlapping at least this much.</summary>
    private const double MinimumIou = 0.9;

    private readonly DetectorComparison _comparison = new(output, MinimumIou);

    [Fact]
    public void The_copies_take_inputs_of_the_detect_frames_shape_and_give_the_rows_of_their_grids()
    {
        foreach (var (model, height, rows) in new[] { (Model640x480, 480, 18_900), (Model640x384, 384, 15_120) })
        {
            using (var detector = DetectorComparison.Create(model))
            {
                Assert.Equal(ModelFamily.YoloV5, detector.Family);
                Assert.Equal(640, detector.InputWidth);
                Assert.Equal(height, detector.InputHeight);
            }
            using var session = new InferenceSession(model);
            // 3 anchors × (H/8·W/8 + H/16·W/16 + H/32·W/32) cells.
            Assert.Equal([1, rows, YoloV5Decoder.RowLength], session.OutputMetadata.Single().Value.Dimensions);
        }
    }

    /// <remarks>
    /// Measured (both directions, 82 confident detections): every one has its partner, the lowest IoU 0.909 (a person
    /// half hidden behind another at the bottom of a TUD-Campus frame); score differences median 0.008, 90th
    /// percentile 0.025, largest 0.064. The frames fill the 640×480 input exactly, where the square model saw 80 grey
    /// rows above and below: the deep layers, whose view spans hundreds of pixels, see the picture's edges differently.
    /// </remarks>
    [Fact]
    public void The_640x480_copy_finds_what_the_square_model_finds()
    {
        var differences = _comparison.Compare(RepoPaths.YoloV5s, Model640x480, image => image);
        _comparison.AssertScoresClose(differences, median: 0.02f, percentile90: 0.05f, largest: 0.12f);
    }

    /// <remarks>
    /// Measured (both directions, 87 confident detections at 640×360): every one has its partner, the lowest IoU 0.904
    /// (a person cut by the right edge); score differences median 0.002, 90th percentile 0.010, largest 0.306: one
    /// person in the crowd of TUD-Campus frame 0, mostly hidden behind two others, square 0.525, shaped 0.219 with
    /// the same box (IoU 0.93). The two models see the same picture aligned alike (140 and 12 rows of padding, both
    /// 12 modulo the largest stride), so the difference is the wider context of the square model's grey bands.
    /// </remarks>
    [Fact]
    public void The_640x384_copy_finds_what_the_square_model_finds_in_a_640x360_detect_frame()
    {
        var differences = _comparison.Compare(RepoPaths.YoloV5s, Model640x384, DetectorComparison.AtDetectSize);
        _comparison.AssertScoresClose(differences, median: 0.02f, percentile90: 0.05f, largest: 0.35f);
    }

    /// <summary>
    /// The committed copies are what the tool writes from the committed original, byte for byte; at the original's
    /// own 640×640 it writes the original again, so that it changes nothing it does not have to.
    /// </summary>
    [Theory]
    [InlineData("yolov5s-640.onnx", 640, 640)]
    [InlineData("yolov5s-640x480.onnx", 480, 640)]
    [InlineData("yolov5s-640x384.onnx", 384, 640)]
    public void The_committed_copies_are_what_tools_reshape_input_py_writes(string name, int height, int width)
    {
        var target = Path.Combine(Path.GetTempPath(), $"reshaped-{Guid.NewGuid():N}.onnx");
        try
        {
            var (exitCode, text) = RunTool(RepoPaths.YoloV5s, target, "--height", height.ToString(), "--width", width.ToString());
            Assert.True(exitCode == 0, text);
            Assert.Equal(ModelTool.Sha256(Path.Combine(RepoPaths.Models, name)), ModelTool.Sha256(target));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public void The_tool_refuses_sizes_off_the_stride_and_a_graph_that_is_not_yolov5()
    {
        var target = Path.Combine(Path.GetTempPath(), $"reshaped-{Guid.NewGuid():N}.onnx");
        var (exitCode, text) = RunTool(RepoPaths.YoloV5s, target, "--height", "470", "--width", "640");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("multiples of 32", text, StringComparison.Ordinal);

        (exitCode, text) = RunTool(RepoPaths.NanoDet, target, "--height", "480", "--width", "640");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("NHWC", text, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    private static (int ExitCode, string Text) RunTool(params string[] arguments) => ModelTool.Run("reshape_input.py", arguments);
}
