using System.Globalization;
using OpenCvSharp;
using Surveillance.Analytics;
using Surveillance.Analytics.Calibration;

namespace Surveillance.Host.Commands;

/// <summary>
/// <c>calibrate --model EXPOSED.onnx --output RANGES.json --input FILE [--input FILE ...] [--every N]</c>: runs a
/// YOLOv5 model in the engine's ONNX Runtime session over real frames (every Nth frame of each video, each photo once)
/// and writes the range of each of its outputs (<see cref="ActivationRanges"/>), for tools/quantize_int8.py.
/// </summary>
/// <remarks>
/// Frames are read with OpenCV at the file's own size and letterboxed into the model's input, as the engine's
/// preprocessing does after ffmpeg's scaling to the detect size; the scaler differs, which moves a range by far less
/// than one step of its 256.
/// </remarks>
public static class CalibrateCommand
{
    public const string Usage =
        "usage: Surveillance.Host calibrate --model <exposed.onnx> --output <ranges.json> --input <video or photo> [--input ...] [--every <N>]";

    public const int Written = 0;

    public const int Unusable = 2;

    private static readonly string[] PhotoExtensions = [".jpg", ".jpeg", ".png", ".bmp"];

    /// <summary>The frames are kept for the second pass: at most this many bytes of them (about 2,400 frames of 768×576).</summary>
    private const long MaxFrameBytes = 1L << 30;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        string? model = null, outputPath = null;
        var inputs = new List<string>();
        var every = 10;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is not ("--model" or "--output" or "--input" or "--every"))
                return Fail(errors, $"unknown option '{arg}'");
            if (i + 1 >= args.Count)
                return Fail(errors, $"{arg} needs a value");
            var value = args[++i];
            switch (arg)
            {
                case "--model":
                    model = value;
                    break;
                case "--output":
                    outputPath = value;
                    break;
                case "--input":
                    inputs.Add(value);
                    break;
                default:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out every) || every < 1)
                        return Fail(errors, $"--every: '{value}' is not a whole number of 1 or more (10 runs frames 1, 11, 21, … of each video)");
                    break;
            }
        }
        if (model is null)
            return Fail(errors, "--model is missing: name the copy of the detector that 'tools/quantize_int8.py expose' wrote");
        if (outputPath is null)
            return Fail(errors, "--output is missing: name the ranges file to write (JSON)");
        if (inputs.Count == 0)
            return Fail(errors, "--input is missing: name at least one video or photo to calibrate on (not the frames the model is scored on)");
        if (inputs.FirstOrDefault(i => !File.Exists(i)) is { } absent)
            return Fail(errors, $"--input: '{absent}' does not exist");

        ActivationRanges ranges;
        try
        {
            ranges = new ActivationRanges(new DetectorOptions { Model = model });
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or DetectorSettingException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            errors.WriteLine($"--model: {e.Message}");
            return Unusable;
        }
        using (ranges)
        {
            var frames = new List<ActivationRanges.Frame>();
            foreach (var input in inputs)
            {
                var before = frames.Count;
                if (Read(frames, input, every) is { } problem)
                    return Fail(errors, $"--input: '{input}' {problem}");
                output.WriteLine($"{input}: {frames.Count - before} frame(s)");
            }
            ranges.Measure(frames);
            try
            {
                using var file = File.Create(outputPath);
                ranges.Write(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"--output: '{outputPath}' cannot be written ({e.Message})");
                return Unusable;
            }
            output.WriteLine($"{outputPath}: ranges of the model's outputs over {ranges.FrameCount} frame(s)");
            return Written;
        }
    }

    /// <returns>Why the input could not be used, or null when its frames were added.</returns>
    private static string? Read(List<ActivationRanges.Frame> frames, string input, int every)
    {
        const string unreadable = "could not be read as a photo or a video by OpenCV";
        if (PhotoExtensions.Contains(Path.GetExtension(input).ToLowerInvariant()))
        {
            using var photo = Cv2.ImRead(input, ImreadModes.Color);
            if (photo.Empty())
                return unreadable;
            return Add(frames, photo);
        }
        using var capture = new VideoCapture(input);
        if (!capture.IsOpened())
            return unreadable;
        using var frame = new Mat();
        var read = 0;
        for (var index = 0; capture.Read(frame) && !frame.Empty(); index++, read++)
        {
            if (index % every == 0 && Add(frames, frame) is { } problem)
                return problem;
        }
        return read > 0 ? null : unreadable;
    }

    private static string? Add(List<ActivationRanges.Frame> frames, Mat bgr)
    {
        if (frames.Sum(f => (long)f.Bgr.Length) + (long)bgr.Width * bgr.Height * 3 > MaxFrameBytes)
            return $"brings the frames to calibrate on over {MaxFrameBytes >> 20} MiB: give a larger --every, or fewer inputs";
        frames.Add(Copy(bgr));
        return null;
    }

    private static ActivationRanges.Frame Copy(Mat bgr)
    {
        using var continuous = bgr.IsContinuous() ? null : bgr.Clone();
        var image = continuous ?? bgr;
        var pixels = new byte[image.Width * image.Height * 3];
        System.Runtime.InteropServices.Marshal.Copy(image.Data, pixels, 0, pixels.Length);
        return new ActivationRanges.Frame(pixels, image.Width, image.Height);
    }

    private static int Fail(TextWriter errors, string message)
    {
        errors.WriteLine(message);
        errors.WriteLine(Usage);
        return Unusable;
    }
}
