using System.Globalization;
using Surveillance.Analytics;
using Surveillance.Ingest;

namespace Surveillance.EndToEnd;

/// <summary>What one harness run measures, from its command line (--name=value).</summary>
public sealed record BenchSettings
{
    public required string RepoRoot { get; init; }

    public string Model { get; init; } = "models/yolov5s-640.onnx";

    /// <summary>Detector workers and threads each, as the engine is configured; 0 = the engine's defaults.</summary>
    public int Workers { get; init; }

    public int Threads { get; init; }

    public bool SpinWait { get; init; }

    /// <summary>Where the model runs (Detector:ExecutionProvider) and how many frames go in one run (Detector:BatchSize).</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    public int BatchSize { get; init; } = 1;

    /// <summary>Where ffmpeg decodes (Ingest:HardwareDecoding), for the engine and for ffmpeg alone alike.</summary>
    public HardwareDecoding HardwareDecoding { get; init; } = HardwareDecoding.None;

    /// <summary>An H.264 file to stream instead of the bundled street video (vtest.avi as H.264, 768×576, 10 fps).</summary>
    public string? Media { get; init; }

    /// <summary>
    /// Cameras of the overload run; with <see cref="OverloadDetectFps"/> they ask for more than the detector gives.
    /// 0: the fewest that ask for 1.5 times the inference limit measured just before.
    /// </summary>
    public int Cameras { get; init; }

    public double OverloadDetectFps { get; init; } = 10;

    /// <summary>
    /// Cameras of the decoding comparison (ffmpeg alone and the engine's ingest side by side, so twice as many
    /// decoders); 0: as many as the overload run. Decoding cost is per stream, so a GPU node, whose overload needs
    /// more streams than its CPUs can decode twice over, compares on fewer.
    /// </summary>
    public int IngestCameras { get; init; }

    /// <summary>The frame size ffmpeg scales each camera to (Cameras:N:DetectWidth/Height).</summary>
    public int DetectWidth { get; init; } = 640;

    public int DetectHeight { get; init; } = 480;

    /// <summary>Each measured window; warm-up comes before it.</summary>
    public double Seconds { get; init; } = 60;

    /// <summary>Load of the latency run as a fraction of the detection rate the overload run measured.</summary>
    public double LatencyLoad { get; init; } = 0.8;

    public string Output { get; init; } = "benchmarks/results";

    /// <summary>Only the decoding comparison (ffmpeg alone vs the engine's ingest), printed, no report: for tuning ingest.</summary>
    public bool IngestOnly { get; init; }

    /// <summary>Only the latency run, its load a fraction of the raw inference rate, printed, no report: for tuning latency.</summary>
    public bool LatencyOnly { get; init; }

    /// <summary>Only the ways of detecting (cost per camera and accuracy of each), not the rest of the run.</summary>
    public bool ConfigurationsOnly { get; init; }

    /// <summary>
    /// The ways of detecting to measure (<c>--configurations=NAME,NAME</c>, names of <see cref="DetectionConfiguration.All"/>); all by default.
    /// The whole-frame path is always measured: the others are its ratios.
    /// </summary>
    public IReadOnlyList<DetectionConfiguration> Configurations { get; init; } = DetectionConfiguration.All;

    /// <summary>How many times each configuration's cost is measured, interleaved with the others' (its median is reported).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Only the recovery of a camera after its RTSP server was away (5, 30, 120 s), written to recovery.md.</summary>
    public bool Recovery { get; init; }

    /// <summary>How many times each recovery case runs.</summary>
    public int Repeats { get; init; } = 3;

    public string ModelPath => Path.GetFullPath(Path.Combine(RepoRoot, Model));

    public static BenchSettings Parse(string[] args, string repoRoot)
    {
        var settings = new BenchSettings { RepoRoot = repoRoot };
        foreach (var arg in args)
        {
            var (name, value) = arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is > 2 and var eq
                ? (arg[2..eq], arg[(eq + 1)..])
                : throw new ArgumentException($"Expected --name=value, got '{arg}'.");
            settings = name.ToLowerInvariant() switch
            {
                "model" => settings with { Model = value },
                "workers" => settings with { Workers = Int(name, value) },
                "threads" => settings with { Threads = Int(name, value) },
                "spin" => settings with { SpinWait = bool.Parse(value) },
                "provider" => settings with { Provider = Enum<ExecutionProvider>(name, value) },
                "batch" => settings with { BatchSize = Int(name, value) },
                "hwaccel" => settings with { HardwareDecoding = Enum<HardwareDecoding>(name, value) },
                "media" => settings with { Media = Path.GetFullPath(value) },
                "cameras" => settings with { Cameras = Int(name, value) },
                "ingest-cameras" => settings with { IngestCameras = Int(name, value) },
                "overload-fps" => settings with { OverloadDetectFps = Number(name, value) },
                "seconds" => settings with { Seconds = Number(name, value) },
                "latency-load" => settings with { LatencyLoad = Number(name, value) },
                "output" => settings with { Output = value },
                "ingest-only" => settings with { IngestOnly = bool.Parse(value) },
                "latency-only" => settings with { LatencyOnly = bool.Parse(value) },
                "configurations-only" => settings with { ConfigurationsOnly = bool.Parse(value) },
                "configurations" => settings with { Configurations = DetectionConfiguration.Named(value) },
                "rounds" => settings with { Rounds = Int(name, value) is > 0 and var rounds ? rounds : throw new ArgumentException("--rounds: at least 1.") },
                "recovery" => settings with { Recovery = bool.Parse(value) },
                "repeats" => settings with { Repeats = Int(name, value) },
                _ => throw new ArgumentException($"Unknown option --{name} (known: model, workers, threads, spin, provider, batch, hwaccel, media, cameras, ingest-cameras, overload-fps, seconds, latency-load, output, ingest-only, latency-only, configurations-only, configurations, rounds, recovery, repeats)."),
            };
        }
        if (settings.Cameras == 1)
            throw new ArgumentException("--cameras must be 0 (automatic) or at least 2 (memory per camera is the difference between two runs).");
        return settings;
    }

    private static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n
            : throw new ArgumentException($"--{name}: '{value}' is not a whole number >= 0.");

    private static T Enum<T>(string name, string value) where T : struct, System.Enum =>
        System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) ? parsed
            : throw new ArgumentException($"--{name}: '{value}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new ArgumentException($"--{name}: '{value}' is not a number > 0.");
}
