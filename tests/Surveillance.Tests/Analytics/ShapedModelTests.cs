using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
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

    /// <summary>Detections at or above this score must have a partner in the other model's output.</summary>
    private const float Confident = 0.5f;

    /// <summary>Both models report down to this score, so that a confident box's partner just under <see cref="Confident"/> is still seen.</summary>
    private const float Reported = 0.2f;

    /// <summary>A confident box's partner: same class, boxes overlapping at least this much.</summary>
    private const double MinimumIou = 0.9;

    private static OnnxObjectDetector Create(string model) => new(new DetectorOptions
    {
        Model = model,
        ScoreThreshold = Reported,
        Threads = 2,
        Classes = [.. CocoClasses.All],
    }, FreshMetrics.Analytics());

    /// <summary>Real frames: the photo, the street video, both MOT15 sequences at their start, middle and end.</summary>
    private static readonly (string Media, int Index)[] Frames =
    [
        ("person.jpg", 0),
        ("vtest.avi", 200),
        ("mot15/TUD-Campus/TUD-Campus.mp4", 0),
        ("mot15/TUD-Campus/TUD-Campus.mp4", 35),
        ("mot15/TUD-Campus/TUD-Campus.mp4", 70),
        ("mot15/TUD-Stadtmitte/TUD-Stadtmitte.mp4", 0),
        ("mot15/TUD-Stadtmitte/TUD-Stadtmitte.mp4", 90),
        ("mot15/TUD-Stadtmitte/TUD-Stadtmitte.mp4", 178),
    ];

    private static TestImages.BgrImage Frame(string media, int index) =>
        Path.GetExtension(media) == ".jpg"
            ? TestImages.Load(Path.Combine(RepoPaths.Media, media))
            : TestImages.VideoFrame(Path.Combine(RepoPaths.Media, media), index);

    /// <summary>The frame scaled to the engine's default detect size (640×360), as ffmpeg hands it over, whatever its own shape.</summary>
    private static TestImages.BgrImage AtDetectSize(TestImages.BgrImage image)
    {
        using var source = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Pixels);
        using var scaled = new Mat();
        Cv2.Resize(source, scaled, new Size(640, 360), interpolation: InterpolationFlags.Area);
        return TestImages.ToBgr(scaled);
    }

    [Fact]
    public void The_copies_take_inputs_of_the_detect_frames_shape_and_give_the_rows_of_their_grids()
    {
        foreach (var (model, height, rows) in new[] { (Model640x480, 480, 18_900), (Model640x384, 384, 15_120) })
        {
            using (var detector = Create(model))
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
        var differences = Compare(Model640x480, image => image);
        AssertScoresClose(differences, median: 0.02f, percentile90: 0.05f, largest: 0.12f);
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
        var differences = Compare(Model640x384, AtDetectSize);
        AssertScoresClose(differences, median: 0.02f, percentile90: 0.05f, largest: 0.35f);
    }

    /// <returns>For each confident detection of either model, the absolute score difference to its partner in the other.</returns>
    private List<float> Compare(string shapedModel, Func<TestImages.BgrImage, TestImages.BgrImage> prepare)
    {
        using var squareDetector = Create(RepoPaths.YoloV5s);
        using var shapedDetector = Create(shapedModel);
        var differences = new List<float>();
        foreach (var (media, index) in Frames)
        {
            var image = prepare(Frame(media, index));
            output.WriteLine($"{media} frame {index}, {image.Width}×{image.Height}: yolov5s-640 vs {Path.GetFileName(shapedModel)}");
            var square = squareDetector.Detect(image.Pixels, image.Width, image.Height).ToArray();
            var shaped = shapedDetector.Detect(image.Pixels, image.Width, image.Height).ToArray();
            Assert.Contains(square, d => d.Score >= Confident);
            differences.AddRange(MatchEach(square, shaped, "square", "shaped"));
            differences.AddRange(MatchEach(shaped, square, "shaped", "square"));
        }
        return differences;
    }

    private void AssertScoresClose(List<float> differences, float median, float percentile90, float largest)
    {
        differences.Sort();
        var (measuredMedian, measured90, measuredLargest) = (differences[differences.Count / 2], differences[(int)(differences.Count * 0.9)], differences[^1]);
        output.WriteLine($"{differences.Count} confident detections matched; score difference median {measuredMedian:F3}, 90th percentile {measured90:F3}, largest {measuredLargest:F3}");
        Assert.True(measuredMedian <= median, $"median score difference {measuredMedian:F3} > {median}");
        Assert.True(measured90 <= percentile90, $"90th percentile of score differences {measured90:F3} > {percentile90}");
        Assert.True(measuredLargest <= largest, $"largest score difference {measuredLargest:F3} > {largest}");
    }

    /// <summary>Each confident detection of <paramref name="from"/> has one of the same class in <paramref name="to"/> at IoU ≥ <see cref="MinimumIou"/>.</summary>
    /// <returns>The absolute score differences to the partners.</returns>
    private List<float> MatchEach(Detection[] from, Detection[] to, string fromName, string toName)
    {
        var differences = new List<float>();
        foreach (var d in from.Where(d => d.Score >= Confident))
        {
            var partner = to.Where(p => p.ClassId == d.ClassId).OrderByDescending(p => p.Box.IntersectionOverUnion(d.Box)).FirstOrDefault();
            var iou = partner == default ? 0 : partner.Box.IntersectionOverUnion(d.Box);
            output.WriteLine($"  {fromName} {d.Label} {d.Score:F3} [{d.Box.X1:F0},{d.Box.Y1:F0},{d.Box.X2:F0},{d.Box.Y2:F0}] → {toName} " +
                (partner == default ? "none" : $"{partner.Score:F3} [{partner.Box.X1:F0},{partner.Box.Y1:F0},{partner.Box.X2:F0},{partner.Box.Y2:F0}] IoU {iou:F3}, score Δ {partner.Score - d.Score:+0.000;-0.000;0.000}"));
            Assert.True(iou >= MinimumIou, $"{fromName} {d.Label} {d.Score:F2} at {d.Box}: best {toName} box of its class has IoU {iou:F3} < {MinimumIou}");
            differences.Add(MathF.Abs(partner.Score - d.Score));
        }
        return differences;
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
            Assert.Equal(Sha256(Path.Combine(RepoPaths.Models, name)), Sha256(target));
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

    private static (int ExitCode, string Text) RunTool(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tools", "reshape_input.py"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var tool = Process.Start(start)!;
        var stdout = tool.StandardOutput.ReadToEndAsync();
        var stderr = tool.StandardError.ReadToEnd();
        if (!tool.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            tool.Kill();
            throw new TimeoutException("tools/reshape_input.py did not finish in 2 minutes.");
        }
        return (tool.ExitCode, stderr + stdout.Result);
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }
}
