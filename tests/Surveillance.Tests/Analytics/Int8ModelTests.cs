using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Analytics;

/// <summary>
/// The INT8 copies of YOLOv5s (models/yolov5s-640-int8.onnx, yolov5s-320x320-int8.onnx: tools/quantize_int8.py from
/// the ranges in models/calibration/, gathered by the engine's <c>calibrate</c> command on vtest.avi and the two photos)
/// against the float models on the same real frames, what ONNX Runtime makes of them, and the calibration itself.
/// </summary>
public sealed class Int8ModelTests(ITestOutputHelper output)
{
    private static string Model(string name) => Path.Combine(RepoPaths.Models, name);

    /// <summary>The body's Convs (all but the detect head's three), which must run as integer kernels.</summary>
    private const int BodyConvs = 57;

    private const int HeadConvs = 3;

    /// <remarks>
    /// Measured at 640 on a CPU with VNNI (both directions, 83 confident detections): every one has its partner, the lowest IoU 0.921
    /// (a person on TUD-Campus); score differences median 0.008, 90th percentile 0.039, largest 0.157. The largest
    /// are of classes the calibration frames (a street of pedestrians, two photos) hardly show: a backpack 0.594 →
    /// 0.437, the dog of person.jpg 0.864 → 0.714, a "bird" 0.725 → 0.615; persons move by 0.07 at most.
    /// On a CPU without VNNI (AVX2 only) the 8-bit copy's 16-bit pair sums saturate: there its score differences were
    /// median 0.010, 90th percentile 0.075, largest 0.162 (the dog), every detection still partnered at IoU ≥ 0.9; the
    /// 7-bit copy meets the VNNI bounds there.
    /// </remarks>
    [Theory]
    [InlineData("yolov5s-640-int8.onnx", 8)]
    [InlineData("yolov5s-640-int8-w7.onnx", 7)]
    public void The_640_int8_copies_find_what_the_float_model_finds(string name, int weightBits)
    {
        var comparison = new DetectorComparison(output, minimumIou: 0.9);
        var differences = comparison.Compare(RepoPaths.YoloV5s, Model(name), image => image);
        var saturates = weightBits == 8 && !CpuFeatures.HasVnni;
        output.WriteLine($"VNNI: {CpuFeatures.HasVnni}");
        comparison.AssertScoresClose(differences, median: 0.02f, percentile90: saturates ? 0.1f : 0.06f, largest: 0.25f);
    }

    /// <remarks>
    /// Measured at 320×320 (the frames letterboxed whole; both directions, 80 confident detections): every one has its
    /// partner, the lowest IoU 0.853 (a small person of vtest.avi frame 200, 27 pixels wide, 11 in the input); score differences
    /// median 0.009, 90th percentile 0.067, largest 0.145 (the dog again; persons 0.068 at most). At 320 a person is
    /// a few cells of the coarse levels, so one step of their activations moves a box further than at 640.
    /// </remarks>
    [Theory]
    [InlineData("yolov5s-320x320-int8.onnx")]
    [InlineData("yolov5s-320x320-int8-w7.onnx")]
    public void The_320x320_int8_copies_find_what_the_float_320x320_copy_finds(string name)
    {
        var comparison = new DetectorComparison(output, minimumIou: 0.8);
        var differences = comparison.Compare(Model("yolov5s-320x320.onnx"), Model(name), image => image);
        comparison.AssertScoresClose(differences, median: 0.02f, percentile90: 0.1f, largest: 0.25f);
    }

    /// <summary>
    /// With the engine's graph optimisation level, ONNX Runtime fuses every Q/DQ group of the body into an integer
    /// kernel (no body Conv is left in float, which would be slower than the float model), and the head's Convs stay float.
    /// </summary>
    [Theory]
    [InlineData("yolov5s-640-int8.onnx")]
    [InlineData("yolov5s-320x320-int8.onnx")]
    [InlineData("yolov5s-640-int8-w7.onnx")]
    [InlineData("yolov5s-320x320-int8-w7.onnx")]
    public void ONNX_Runtime_runs_the_body_on_integer_kernels_and_the_head_in_float(string name)
    {
        var prefix = Path.Combine(Path.GetTempPath(), $"int8-profile-{Guid.NewGuid():N}");
        string profile;
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 })
        {
            options.EnableProfiling = true;
            options.ProfileOutputPathPrefix = prefix;
            using var session = new InferenceSession(Model(name), options);
            var (inputName, input) = session.InputMetadata.Single();
            var shape = input.Dimensions.Select(d => (long)d).ToArray();
            using var value = OrtValue.CreateTensorValueFromMemory(new float[shape.Aggregate((a, b) => a * b)], shape);
            using var outputs = session.Run(new RunOptions(), [inputName], [value], [.. session.OutputMetadata.Keys]);
            profile = session.EndProfiling();
        }
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(profile));
            var kernels = json.RootElement.EnumerateArray()
                .Where(e => e.GetProperty("cat").GetString() == "Node" && e.GetProperty("name").GetString()!.EndsWith("_kernel_time", StringComparison.Ordinal))
                .Select(e => e.GetProperty("args").GetProperty("op_name").GetString()!)
                .GroupBy(op => op).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine(string.Join(", ", kernels.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value}")));
            Assert.Equal(BodyConvs, kernels.GetValueOrDefault("QLinearConv"));
            Assert.Equal(HeadConvs, kernels.GetValueOrDefault("Conv"));
            // The body's activations (SiLU) run quantized too; what is dequantized is what the head reads.
            Assert.Equal(BodyConvs, kernels.GetValueOrDefault("QLinearSigmoid"));
            Assert.Equal(BodyConvs, kernels.GetValueOrDefault("QLinearMul"));
            Assert.Equal(1, kernels.GetValueOrDefault("QuantizeLinear"));
            Assert.Equal(HeadConvs, kernels.GetValueOrDefault("DequantizeLinear"));
        }
        finally
        {
            File.Delete(profile);
        }
    }

    /// <summary>The copies are what the tool writes from the committed model and ranges, byte for byte (as tools/shaped-models.sh checks).</summary>
    [Theory]
    [InlineData("yolov5s-640", 8, "yolov5s-640-int8.onnx")]
    [InlineData("yolov5s-320x320", 8, "yolov5s-320x320-int8.onnx")]
    [InlineData("yolov5s-640", 7, "yolov5s-640-int8-w7.onnx")]
    [InlineData("yolov5s-320x320", 7, "yolov5s-320x320-int8-w7.onnx")]
    public void The_copies_are_what_tools_quantize_int8_py_writes_from_the_committed_ranges(string name, int weightBits, string copy)
    {
        var target = Path.Combine(Path.GetTempPath(), $"int8-{Guid.NewGuid():N}.onnx");
        try
        {
            var (exitCode, text) = RunTool("quantize", "--percentile", "99.99", "--weight-bits", weightBits.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Model($"{name}.onnx"), Calibration(name), target);
            Assert.True(exitCode == 0, text);
            Assert.Equal(ModelTool.Sha256(Model(copy)), ModelTool.Sha256(target));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public void The_tool_refuses_a_graph_that_is_not_yolov5_and_ranges_that_lack_a_tensor()
    {
        var target = Path.Combine(Path.GetTempPath(), $"int8-{Guid.NewGuid():N}.onnx");
        var ranges = Path.Combine(Path.GetTempPath(), $"int8-ranges-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, text) = RunTool("expose", RepoPaths.NanoDet, target);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("expected one input and one output", text, StringComparison.Ordinal);

            var committed = JsonDocument.Parse(File.ReadAllText(Calibration("yolov5s-640"))).RootElement.GetProperty("tensors");
            var missing = committed.EnumerateObject().ElementAt(5).Name;
            File.WriteAllText(ranges, JsonSerializer.Serialize(new
            {
                tensors = committed.EnumerateObject().Where(t => t.Name != missing).ToDictionary(t => t.Name, t => t.Value),
            }));
            (exitCode, text) = RunTool("quantize", RepoPaths.YoloV5s, ranges, target);
            Assert.NotEqual(0, exitCode);
            Assert.Contains($"no range for tensor {missing}", text, StringComparison.Ordinal);
            Assert.False(File.Exists(target));
        }
        finally
        {
            File.Delete(ranges);
            File.Delete(target);
        }
    }

    /// <summary>
    /// The engine's <c>calibrate</c> command on frames that the committed calibration also ran (vtest.avi frames 0 and
    /// 400 of its every tenth, person.jpg) writes a range for every tensor the tool exposed, each inside the committed
    /// one (fewer frames take fewer extremes), the central shares nested inside the whole range.
    /// </summary>
    [Fact]
    public async Task Calibrate_writes_ranges_of_every_exposed_tensor_within_the_committed_calibration()
    {
        var directory = Directory.CreateTempSubdirectory("int8-calibrate-").FullName;
        try
        {
            var exposed = Path.Combine(directory, "exposed.onnx");
            var (exitCode, text) = RunTool("expose", RepoPaths.YoloV5s, exposed);
            Assert.True(exitCode == 0, text);
            var ranges = Path.Combine(directory, "ranges.json");
            var (code, stdout, stderr) = await HostCommand.RunAsync(RepoPaths.Root, TimeSpan.FromMinutes(3),
                "calibrate", "--model", exposed, "--output", ranges, "--input", RepoPaths.VtestAvi, "--every", "400", "--input", RepoPaths.PersonJpg);
            output.WriteLine(stdout + stderr);
            Assert.True(code == 0, stderr);

            var measured = JsonDocument.Parse(File.ReadAllText(ranges)).RootElement;
            Assert.Equal(3, measured.GetProperty("frames").GetInt32());
            var committed = JsonDocument.Parse(File.ReadAllText(Calibration("yolov5s-640"))).RootElement.GetProperty("tensors");
            var tensors = measured.GetProperty("tensors").EnumerateObject().ToList();
            Assert.Equal(committed.EnumerateObject().Select(t => t.Name), tensors.Select(t => t.Name));
            foreach (var tensor in tensors)
            {
                var (min, max) = (tensor.Value.GetProperty("min").GetSingle(), tensor.Value.GetProperty("max").GetSingle());
                var whole = committed.GetProperty(tensor.Name);
                // A little slack for another CPU's float kernels.
                var slack = 1e-3f * (whole.GetProperty("max").GetSingle() - whole.GetProperty("min").GetSingle());
                Assert.True(min <= max, $"{tensor.Name}: min {min} > max {max}");
                Assert.True(min >= whole.GetProperty("min").GetSingle() - slack && max <= whole.GetProperty("max").GetSingle() + slack,
                    $"{tensor.Name}: [{min}, {max}] is outside the committed [{whole.GetProperty("min")}, {whole.GetProperty("max")}]");
                var (outerLow, outerHigh) = (min, max);
                foreach (var percent in new[] { "99.999", "99.99", "99.9" })
                {
                    var central = tensor.Value.GetProperty(percent);
                    var (low, high) = (central[0].GetSingle(), central[1].GetSingle());
                    Assert.True(outerLow <= low && low <= high && high <= outerHigh, $"{tensor.Name}: central {percent}% [{low}, {high}] is not inside [{outerLow}, {outerHigh}]");
                    (outerLow, outerHigh) = (low, high);
                }
            }
            // Most tensors have rare extremes: the central 99.99% is narrower than the whole range for most of them.
            var narrower = tensors.Count(t => t.Value.GetProperty("99.99")[1].GetSingle() < t.Value.GetProperty("max").GetSingle());
            Assert.True(narrower > tensors.Count / 2, $"only {narrower} of {tensors.Count} tensors have a central 99.99% narrower than their range");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Calibrate_refuses_a_model_that_is_not_a_yolov5_input_and_names_the_fix()
    {
        var (code, _, stderr) = await HostCommand.RunAsync(RepoPaths.Root, TimeSpan.FromMinutes(1),
            "calibrate", "--model", RepoPaths.NanoDet, "--output", Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.json"), "--input", RepoPaths.PersonJpg);
        Assert.Equal(2, code);
        Assert.Contains("tools/quantize_int8.py expose", stderr, StringComparison.Ordinal);
    }

    private static string Calibration(string name) => Path.Combine(RepoPaths.Models, "calibration", $"{name}.json");

    private static (int ExitCode, string Text) RunTool(params string[] arguments) => ModelTool.Run("quantize_int8.py", arguments);
}
