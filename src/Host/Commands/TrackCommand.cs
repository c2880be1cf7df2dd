using System.Diagnostics;
using System.Globalization;
using System.Text;
using FFMpegCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Surveillance.Alerts;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics;
using Surveillance.Analytics.Scene;
using Surveillance.Analytics.Tracking;
using Surveillance.Cameras;
using Surveillance.Cameras.Analysis;
using Surveillance.Cameras.Detectors;
using Surveillance.Cameras.Inventory;
using Surveillance.Ingest;

namespace Surveillance.Host.Commands;

/// <summary>
/// <c>track --input VIDEO --output RESULT.txt [--fps N] [--detections] [--camera ID]</c>: runs a video file through a
/// camera's pipeline as the engine builds it (ffmpeg scaling to the detect size, the motion gate, the detector, the
/// object filter and the tracker of <see cref="CameraAnalysis"/>, from the same configuration: appsettings.json,
/// environment, <c>--Section:Key=value</c> arguments) and writes MOTChallenge results, for scoring against ground truth.
/// </summary>
/// <remarks>
/// The file is read as fast as the CPU allows, and every frame carries its time in the recording (index / rate), so
/// that the motion gate and the tracker see the video as it was recorded and a run gives the same lines every time.
/// <para>
/// Frames at <c>--fps N</c>: ffmpeg decodes and scales every frame, and the command picks frame n (0-based) when
/// floor(n·N/rate) moves on, frame 0 first: at 5 fps of a 25 fps file frames 1, 6, 11, … (1-based). ffmpeg's
/// <c>fps</c> filter is not used: it chooses by timestamp with its own rounding, duplicates frames to fill gaps, and
/// does not say which input frame each output frame was, so a result could sit one frame off the ground truth.
/// The engine's live selection (a token bucket by arrival time, its phase from the camera id) keeps the same share of
/// frames evenly spaced; only which of each N frames comes first can differ.
/// </para>
/// <para>
/// One detector, so <c>Detector:Workers</c> 0 means one worker with every core's thread; threads change the speed only.
/// Without <c>Detector:Classes</c> only persons are detected (MOTChallenge ground truth has pedestrians only). Without
/// <c>--camera</c>, a fixed camera with the engine's defaults, its detect size 640 wide and as high as the input's
/// shape gives; with it, that configured camera's settings (detect size, kind, motion, masks, filters, rules).
/// </para>
/// </remarks>
public static class TrackCommand
{
    public const string Usage =
        "usage: Surveillance.Host track --input <video> --output <result.txt> [--fps <N>] [--detections] [--camera <id>] [--Section:Key=value ...]";

    /// <summary>The results are written.</summary>
    public const int Written = 0;

    /// <summary>The video could not be decoded or analysed to its end; no result file is left.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or configuration, an unreadable input, an unwritable output; nothing was run.</summary>
    public const int Unusable = 2;

    /// <summary>Where a recording's timeline starts: any fixed instant, so that runs are alike.</summary>
    private static readonly DateTime RecordingStart = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private const string TrackCameraId = "track";

    private sealed record Arguments(string Input, string Output, double? Fps, bool Detections, string? CameraId, string[] Configuration);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        if (!TryParse(args, out var arguments, out var argumentError))
        {
            errors.WriteLine(argumentError);
            errors.WriteLine(Usage);
            return Unusable;
        }
        var input = Path.GetFullPath(arguments.Input);
        if (!File.Exists(input))
        {
            errors.WriteLine($"--input: '{arguments.Input}' does not exist; name a video file (e.g. media/mot15/TUD-Campus/TUD-Campus.mp4)");
            return Unusable;
        }

        VideoStream video;
        try
        {
            var analysis = await FFProbe.AnalyseAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
            video = analysis.PrimaryVideoStream ?? throw new FormatException("it has no video stream");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.WriteLine($"--input: '{arguments.Input}' cannot be read as a video ({e.Message}); name a video file ffmpeg decodes");
            return Unusable;
        }
        var rate = video.AverageFrameRate;
        if (!(rate > 0) || video.Width is not > 0 || video.Height is not > 0)
        {
            errors.WriteLine($"--input: '{arguments.Input}': ffprobe gives no frame rate or size for its video; re-encode it with a constant rate");
            return Unusable;
        }
        var fps = arguments.Fps ?? rate;
        // A little tolerance: 29.97 written as 29.97 for a 30000/1001 video.
        if (fps > rate * 1.001)
        {
            errors.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"--fps: {fps:0.###} is more than the video's own rate ({rate:0.###} fps); give at most {rate:0.###}, or leave --fps out for every frame"));
            return Unusable;
        }
        fps = Math.Min(fps, rate);
        var size = new VideoSize((int)video.Width!, (int)video.Height!);

        if (!TrySetUp(arguments, input, size, fps, out var setup, out var problems))
        {
            foreach (var problem in problems)
                errors.WriteLine(problem);
            return Unusable;
        }

        StreamWriter writer;
        try
        {
            writer = new StreamWriter(arguments.Output, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            errors.WriteLine($"--output: '{arguments.Output}' cannot be written ({e.Message}); name a file in a directory that exists and is writable");
            return Unusable;
        }

        DetectorWorker detector;
        var metricFactory = Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry());
        try
        {
            detector = new DetectorWorker(setup.Detector, new AnalyticsMetrics(metricFactory));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            File.Delete(arguments.Output);
            errors.WriteLine(e is DetectorSettingException ? e.Message : $"Detector:Model: '{setup.Detector.Model}' could not be loaded: {e.Message}");
            return Unusable;
        }

        var camera = setup.Camera;
        var results = new MotResultWriter(writer, arguments.Detections,
            (double)size.Width / camera.DetectWidth, (double)size.Height / camera.DetectHeight);
        var metrics = new PipelineMetrics(metricFactory).ForCamera(camera.Id);
        long analysed = 0, detected = 0, inRegions = 0, regions = 0;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using (detector)
            using (var analysis = new CameraAnalysis(camera, setup.Scene, setup.Rules, setup.Tracker, setup.Alerts, metrics, results))
            {
                var events = new List<EventOutput>();
                var source = new RecordingFrameSource(camera, input, setup.Ingest, index => RecordingStart.AddTicks((long)Math.Round(index * TimeSpan.TicksPerSecond / rate)));
                var frames = await source.RunAsync(frame =>
                {
                    try
                    {
                        if (!IsAnalysed(frame.Sequence, fps, rate))
                            return;
                        analysed++;
                        switch (detector.Plan(analysis, frame, events))
                        {
                            case DetectionPlan.WholeFrame:
                                analysis.Observe(frame, detector.Whole.Detect(frame.Pixels, frame.Width, frame.Height), events);
                                detected++;
                                break;
                            case DetectionPlan.Regions:
                                analysis.Observe(frame, detector.DetectRegions(frame), events);
                                detected++;
                                inRegions++;
                                regions += detector.Regions.Length;
                                break;
                        }
                        foreach (var item in events)
                            item.Snapshot?.Release();
                        events.Clear();
                    }
                    finally
                    {
                        frame.Release();
                    }
                }, cancellationToken).ConfigureAwait(false);
                await writer.DisposeAsync().ConfigureAwait(false);

                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{arguments.Output}: {results.Lines} {(arguments.Detections ? "detection" : "track")} line(s) for {analysed} of {frames} frame(s) at {fps:0.###} fps " +
                    $"({detected} detected{(inRegions > 0 ? $", {inRegions} of them in {regions} region(s)" : "")}, {analysed - detected} held by the motion gate), {size.Width}x{size.Height} analysed at {camera.DetectWidth}x{camera.DetectHeight}, in {seconds:0.0} s"));
                if (frames == 0)
                {
                    errors.WriteLine($"--input: '{arguments.Input}': ffmpeg decoded no frame of it");
                    return Failed;
                }
                return Written;
            }
        }
        catch (Exception e) when (e is FrameSourceException or IOException)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            File.Delete(arguments.Output);
            errors.WriteLine(e.Message);
            return Failed;
        }
    }

    /// <summary>
    /// Whether frame <paramref name="index"/> (0-based) of a video of <paramref name="rate"/> fps is analysed at
    /// <paramref name="fps"/>: when floor(index·fps/rate) moves on, so frame 0 and then one in every rate/fps.
    /// </summary>
    public static bool IsAnalysed(long index, double fps, double rate)
    {
        // The tolerance keeps 5/25 · 5 from landing a hair under 1.
        const double tolerance = 1e-9;
        return index == 0 || Math.Floor(index * fps / rate + tolerance) > Math.Floor((index - 1) * fps / rate + tolerance);
    }

    private readonly record struct VideoSize(int Width, int Height);

    private sealed record Setup(CameraOptions Camera, SceneOptions Scene, CameraRuleOptions Rules, DetectorOptions Detector,
        TrackerOptions Tracker, AlertOptions Alerts, IngestOptions Ingest);

    private static bool TrySetUp(Arguments arguments, string input, VideoSize video, double fps, out Setup setup, out List<string> problems)
    {
        setup = null!;
        problems = [];
        // The engine's own configuration sources, in its order: appsettings.json beside the binary, its environment
        // variant, environment variables, then the --Section:Key=value arguments.
        var configuration = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = arguments.Configuration,
            ContentRootPath = AppContext.BaseDirectory,
        }).Configuration;

        var detector = Bind<DetectorOptions>(configuration, "Detector", problems);
        var tracker = Bind<TrackerOptions>(configuration, TrackerOptions.Section, problems);
        var alerts = Bind<AlertOptions>(configuration, "Alerts", problems);
        var ingest = Bind<IngestOptions>(configuration, "Ingest", problems);
        if (problems.Count > 0)
            return false;
        if (detector.Classes.Length == 0)
            detector.Classes = ["person"];
        if (detector.Workers == 0)
            detector.Workers = 1;
        problems.AddRange(detector.Validate());
        problems.AddRange(tracker.Validate());
        problems.AddRange(alerts.Validate());
        problems.AddRange(ingest.Validate());

        CameraRecord record;
        if (arguments.CameraId is { } id)
        {
            var found = FindCamera(configuration, id, problems);
            if (found is null)
                return false;
            record = found;
            problems.AddRange(CameraRecordValidator.Validate(record, record.Origin.ToString()));
        }
        else
        {
            var width = new CameraOptions().DetectWidth;
            // Even, as ffmpeg's scaler and the detector's letterbox prefer; the shape of the input, not the 16:9 default.
            var height = Math.Max(2, (int)Math.Round((double)width * video.Height / video.Width / 2) * 2);
            record = new CameraRecord(new CameraOptions { Id = TrackCameraId, Url = input, DetectWidth = width, DetectHeight = height },
                new SceneOptions(), new CameraRuleOptions(), enabled: true, CameraOrigin.Configuration(0));
        }
        if (problems.Count > 0)
            return false;

        var camera = record.Camera;
        camera.Url = input;
        camera.DetectFps = fps;
        setup = new Setup(camera, record.Scene, record.Rules, detector, tracker, alerts, ingest);
        return true;
    }

    private static CameraRecord? FindCamera(IConfiguration configuration, string id, List<string> problems)
    {
        var ids = new List<string>();
        foreach (var child in configuration.GetSection(CameraSet.Section).GetChildren())
        {
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || !CameraRecordBinder.HasCameraSettings(child))
                continue;
            try
            {
                var record = CameraRecordBinder.Bind(child, CameraOrigin.Configuration(index));
                if (record.Id == id)
                    return record;
                ids.Add(record.Id);
            }
            catch (InvalidOperationException e)
            {
                if (child[nameof(CameraOptions.Id)] == id)
                {
                    problems.Add(BindingFailure.Describe(e) ?? e.Message);
                    return null;
                }
            }
        }
        problems.Add($"--camera: no camera '{id}' in the configuration (Cameras:N:Id); configured: {(ids.Count == 0 ? "none" : string.Join(", ", ids))}");
        return null;
    }

    private static T Bind<T>(IConfiguration configuration, string section, List<string> problems) where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"{section}: {BindingFailure.Describe(e) ?? e.Message}");
        }
        return options;
    }

    private static bool TryParse(IReadOnlyList<string> args, out Arguments arguments, out string error)
    {
        arguments = null!;
        error = "";
        string? input = null, outputPath = null, camera = null;
        double? fps = null;
        var detections = false;
        var configuration = new List<string>();
        string? missing = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    return args[++i];
                missing = $"{arg} needs a value";
                return null;
            }
            switch (arg)
            {
                case "--input" or "-i":
                    if ((input = Value()) is null)
                    {
                        error = missing!;
                        return false;
                    }
                    break;
                case "--output" or "-o":
                    if ((outputPath = Value()) is null)
                    {
                        error = missing!;
                        return false;
                    }
                    break;
                case "--camera":
                    if ((camera = Value()) is null)
                    {
                        error = missing!;
                        return false;
                    }
                    break;
                case "--detections":
                    detections = true;
                    break;
                case "--fps":
                    if (Value() is not { } text)
                    {
                        error = missing!;
                        return false;
                    }
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
                    {
                        error = $"--fps: '{text}' is not a frame rate; give a number of frames a second greater than 0 (e.g. --fps 5)";
                        return false;
                    }
                    fps = value;
                    break;
                default:
                    // Configuration, as the engine takes it: --Detector:Model=models/x.onnx or --Detector:Model models/x.onnx.
                    if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal))
                    {
                        configuration.Add(arg);
                        if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count)
                            configuration.Add(args[++i]);
                        break;
                    }
                    error = $"unknown option '{arg}' (settings are given as --Section:Key=value, e.g. --Detector:Model=models/yolov5s-640.onnx)";
                    return false;
            }
        }
        if (input is null)
        {
            error = "--input is missing: name the video file to track";
            return false;
        }
        if (outputPath is null)
        {
            error = "--output is missing: name the MOTChallenge result file to write";
            return false;
        }
        arguments = new Arguments(input, outputPath, fps, detections, camera, [.. configuration]);
        return true;
    }
}
