using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Surveillance.Analytics;

namespace Surveillance.EndToEnd;

/// <summary>The figures of one harness run, with the targets they are judged by.</summary>
public sealed record BenchReport
{
    public const double EngineToRawTarget = 0.9;
    public const double IngestToFfmpegTarget = 1.15;

    /// <summary>The mean of <see cref="RawInferencePerSecInterleaved"/>, measured between the overload run's windows.</summary>
    public required double RawInferencePerSec { get; init; }
    public required double[] RawInferencePerSecInterleaved { get; init; }

    /// <summary>Measured between the latency run's windows: the run time the latency target is judged by.</summary>
    public required double[] RawInferencePerSecDuringLatency { get; init; }

    /// <summary>Measured once before the engine started, to size the overload.</summary>
    public required double RawInferencePerSecAtStart { get; init; }
    public required double EngineInferencePerSec { get; init; }
    public required double EngineToRawRatio { get; init; }
    public required double FfmpegCpuSeconds { get; init; }
    public required double IngestCpuSeconds { get; init; }
    public required double IngestToFfmpegRatio { get; init; }
    public required double LatencyMsP50 { get; init; }
    public required double LatencyMsP95 { get; init; }
    public required double LatencyMsP99 { get; init; }
    public required double FairnessMinOverMax { get; init; }
    public required double RssMbPerCamera { get; init; }
    public required string Machine { get; init; }

    public required string Model { get; init; }
    public required int Workers { get; init; }
    public required int ThreadsPerWorker { get; init; }
    public required string Provider { get; init; }
    public required int BatchSize { get; init; }
    public required string HardwareDecoding { get; init; }
    public required string CameraMix { get; init; }
    public required double WindowSeconds { get; init; }
    /// <summary>One model run on one worker during the latency run (from <see cref="RawInferencePerSecDuringLatency"/>).</summary>
    public required double InferenceMs { get; init; }
    public required double LatencyTargetMs { get; init; }
    public required long LatencySamples { get; init; }

    /// <summary>Model runs during the latency run, p50 / p95 / p99: against <see cref="InferenceMs"/>, how much sharing the CPU stretches them.</summary>
    public required double[] ModelRunMsP50P95P99UnderLoad { get; init; }

    /// <summary>Alerts timed by a subscriber: arrival minus the capture time they report (the broker's hop included).</summary>
    public required double AlertLatencyMsP50 { get; init; }
    public required double AlertLatencyMsP99 { get; init; }
    public required int AlertLatencySamples { get; init; }
    public required string LatencyLoad { get; init; }
    public required double DecodeCpuPerStream { get; init; }
    public required int DecodeStreams { get; init; }
    public required double IngestFramesPerSec { get; init; }
    public required double FfmpegFramesPerSec { get; init; }
    public required double[] AnalysedPerCameraPerSec { get; init; }
    public required double[] DroppedPerCameraPerSec { get; init; }
    public required double EngineCpuSecondsPerSec { get; init; }
    public required double EngineRssMb { get; init; }
    public required DateTime MeasuredAt { get; init; }

    /// <summary>Each way of detecting, one camera of the street video at 5 fps with the motion gate on, and its accuracy on MOT15.</summary>
    public IReadOnlyList<ConfigurationReport> Configurations { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static BenchReport Create(BenchSettings bench, DetectorOptions detector, string media, double rawAtStart,
        IngestCost.Result ffmpeg, IngestCost.Result ingest, EngineRun overload, EngineRun loaded)
    {
        var raw = overload.InterleavedRawPerSecond.Average();
        var rawDuringLatency = loaded.InterleavedRawPerSecond.Average();
        // One run of a full batch on one worker, at the time of the latency run: what a frame waits for once it is taken.
        var inferenceMs = RawInference.RunMilliseconds(detector, rawDuringLatency);
        var alertLatencies = loaded.AlertLatenciesMs.Order().ToArray();
        var rates = overload.AnalysedPerSecond;
        return new BenchReport
        {
            RawInferencePerSec = Round(raw),
            RawInferencePerSecInterleaved = [.. overload.InterleavedRawPerSecond.Select(r => Round(r))],
            RawInferencePerSecDuringLatency = [.. loaded.InterleavedRawPerSecond.Select(r => Round(r))],
            RawInferencePerSecAtStart = Round(rawAtStart),
            EngineInferencePerSec = Round(overload.AnalysedTotalPerSecond),
            EngineToRawRatio = Round(overload.AnalysedTotalPerSecond / raw, 3),
            FfmpegCpuSeconds = Round(ffmpeg.CpuSeconds),
            IngestCpuSeconds = Round(ingest.CpuSeconds),
            IngestToFfmpegRatio = Round(ingest.CpuSeconds / ffmpeg.CpuSeconds, 3),
            LatencyMsP50 = Round(loaded.LatencyQuantilesMs[0], 1),
            LatencyMsP95 = Round(loaded.LatencyQuantilesMs[1], 1),
            LatencyMsP99 = Round(loaded.LatencyQuantilesMs[2], 1),
            FairnessMinOverMax = Round(rates.Min() / rates.Max(), 3),
            RssMbPerCamera = Round((overload.RssMb - loaded.RssMb) / (overload.Cameras - loaded.Cameras), 1),
            Machine = MachineDescription(bench.Provider),
            Model = bench.Model,
            Workers = detector.EffectiveWorkers,
            ThreadsPerWorker = detector.EffectiveThreads,
            Provider = bench.Provider.ToString(),
            BatchSize = detector.BatchSize,
            HardwareDecoding = bench.HardwareDecoding.ToString(),
            CameraMix = $"{bench.Cameras} x {media}, detect {bench.DetectWidth}x{bench.DetectHeight} at {bench.OverloadDetectFps} fps, motion gate off",
            WindowSeconds = bench.Seconds,
            InferenceMs = Round(inferenceMs, 1),
            LatencyTargetMs = Round(2 * inferenceMs + 100, 1),
            LatencySamples = loaded.LatencySamples,
            ModelRunMsP50P95P99UnderLoad = [.. loaded.InferenceQuantilesMs.Select(q => Round(q, 1))],
            AlertLatencyMsP50 = Round(Percentile(alertLatencies, 0.50), 1),
            AlertLatencyMsP99 = Round(Percentile(alertLatencies, 0.99), 1),
            AlertLatencySamples = alertLatencies.Length,
            LatencyLoad = $"{loaded.Cameras} camera{(loaded.Cameras == 1 ? "" : "s")} x {loaded.DetectFps} fps = {loaded.AnalysedTotalPerSecond:F2} analysed/s ({loaded.AnalysedTotalPerSecond / overload.AnalysedTotalPerSecond:P0} of the overload rate, {loaded.AnalysedTotalPerSecond / rawDuringLatency:P0} of raw inference between its windows)",
            DecodeCpuPerStream = Round(ffmpeg.CpuSeconds / bench.Seconds / ffmpeg.Streams, 4),
            DecodeStreams = ffmpeg.Streams,
            IngestFramesPerSec = Round(ingest.Frames / bench.Seconds),
            FfmpegFramesPerSec = Round(ffmpeg.Frames / bench.Seconds),
            AnalysedPerCameraPerSec = [.. rates.Select(r => Round(r))],
            DroppedPerCameraPerSec = [.. overload.DroppedPerSecond.Select(r => Round(r))],
            EngineCpuSecondsPerSec = Round((overload.EngineCpuSeconds + overload.FfmpegCpuSeconds) / bench.Seconds),
            EngineRssMb = Round(overload.RssMb, 0),
            MeasuredAt = DateTime.UtcNow,
        };
    }

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "latest.json"), JsonSerializer.Serialize(this, Json) + "\n");
        File.WriteAllText(Path.Combine(directory, "latest.md"), Markdown());
    }

    public string Markdown()
    {
        static string Met(bool met) => met ? "met" : "**missed**";
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {MeasuredAt:yyyy-MM-dd HH:mm} UTC on {Machine}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Model {Model} on {Provider}, {Workers} worker(s) x {ThreadsPerWorker} thread(s), batches of up to {BatchSize}; " +
            $"decoding: {HardwareDecoding}; cameras: {CameraMix}; windows of {WindowSeconds} s.");
        md.AppendLine();
        md.AppendLine("| measure | value | target | |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| raw ONNX Runtime inferences/s | {RawInferencePerSec} (mean of {RawInferencePerSecInterleaved.Length} overload windows: {string.Join(", ", RawInferencePerSecInterleaved)}) | | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| engine frames analysed/s, overload | {EngineInferencePerSec} | | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| engine / raw | {EngineToRawRatio} | >= {EngineToRawTarget} | {Met(EngineToRawRatio >= EngineToRawTarget)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| ffmpeg alone, CPU-s | {FfmpegCpuSeconds} ({DecodeStreams} streams, {FfmpegFramesPerSec} frames/s) | | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| engine ingest, CPU-s | {IngestCpuSeconds} ({IngestFramesPerSec} frames/s) | | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| ingest / ffmpeg | {IngestToFfmpegRatio} | <= {IngestToFfmpegTarget} | {Met(IngestToFfmpegRatio <= IngestToFfmpegTarget)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| capture-to-publish p50 / p95 / p99, ms | {LatencyMsP50} / {LatencyMsP95} / {LatencyMsP99} ({LatencySamples} detected frames; {LatencyLoad}; model runs {string.Join(" / ", ModelRunMsP50P95P99UnderLoad)} ms) | p99 <= {LatencyTargetMs} (2 x {InferenceMs} ms per run, from raw {string.Join(", ", RawInferencePerSecDuringLatency)}/s between the windows, + 100) | {Met(LatencyMsP99 <= LatencyTargetMs)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| alerts as received by a subscriber, p50 / p99, ms | {AlertLatencyMsP50} / {AlertLatencyMsP99} ({AlertLatencySamples} alerts) | | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| fairness, slowest / fastest camera | {FairnessMinOverMax} (analysed/s: {string.Join(", ", AnalysedPerCameraPerSec)}) | | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| frames dropped per camera, /s | {string.Join(", ", DroppedPerCameraPerSec)} | | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| resident memory per camera, MiB | {RssMbPerCamera} (engine + ffmpeg, {EngineRssMb} MiB in overload) | | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| decode CPU per stream, cores | {DecodeCpuPerStream} | | |");
        if (Configurations.Count > 0)
            AppendConfigurations(md);
        return md.ToString();
    }

    private void AppendConfigurations(StringBuilder md)
    {
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Ways of detecting: what a camera of the street video costs a busy node, detected at {CameraCost.DetectFps} fps with the motion gate on (the `track` command as fast as it goes; the median of {Configurations[0].CpuSecondsPerCameraMinuteByRound.Count} interleaved rounds, the ratio the median of the rounds' ratios, their lowest and highest in brackets); accuracy from the `track` command on the MOT15 sequences (recall / MOTA, and the difference to the whole frame in points).");
        md.AppendLine();
        var columns = Configurations[0].AccuracyFigures.Select(a => $"{a.Sequence} {a.Fps} fps").ToArray();
        md.AppendLine($"| configuration | CPU-s per camera-minute | cameras per core | vs whole frame | regions per frame | {string.Join(" | ", columns)} |");
        md.AppendLine($"|---|---|---|---|---|{string.Concat(columns.Select(_ => "---|"))}");
        foreach (var c in Configurations)
        {
            var accuracy = c.AccuracyFigures.Select(a => string.Create(CultureInfo.InvariantCulture,
                $"{a.Recall:0.000} / {a.Mota:0.000} ({100 * a.RecallDelta:+0.0;-0.0;0.0} / {100 * a.MotaDelta:+0.0;-0.0;0.0})"));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Name} (`{c.Model}`{(c.Regions ? ", regions" : "")}) | {c.CpuSecondsPerCameraMinute} | {c.CamerasPerCore} | {c.CamerasPerCoreRatio:0.00}x ({c.CamerasPerCoreRatioLowest:0.00}–{c.CamerasPerCoreRatioHighest:0.00}) | {c.RegionsPerAnalysedFrame} | {string.Join(" | ", accuracy)} |");
        }
    }

    /// <summary>The GPU as its driver names it (nvidia-smi), or what kept it from saying.</summary>
    private static string GpuName()
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("nvidia-smi") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader" })
                start.ArgumentList.Add(arg);
            using var smi = System.Diagnostics.Process.Start(start)!;
            var name = smi.StandardOutput.ReadToEnd().Trim();
            smi.WaitForExit();
            return $"GPU {name}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"GPU (nvidia-smi: {e.Message})";
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Round(double value, int digits = 2) => Math.Round(value, digits);

    /// <summary>
    /// The vector instructions the INT8 models depend on: with VNNI, ONNX Runtime's uint8 × int8 kernels sum in 32 bits;
    /// with AVX2 alone, pairs of products are added in 16 bits, which saturates at full-range weights (models/README.md).
    /// </summary>
    public static string IntegerInstructions()
    {
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':', 2)[1]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) ?? [];
        var vector = flags.Contains("avx512bw") ? "AVX-512" : flags.Contains("avx2") ? "AVX2" : "no AVX2";
        return flags.Contains("avx512_vnni") || flags.Contains("avx_vnni") ? $"{vector}, VNNI" : $"{vector}, no VNNI";
    }

    private static string MachineDescription(ExecutionProvider provider)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        cpu = $"{cpu}, {IntegerInstructions()}";
        var memKb = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var gpu = provider == ExecutionProvider.Cpu ? "no GPU used" : GpuName();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu}), {long.Parse(memKb, CultureInfo.InvariantCulture) / 1024 / 1024} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {gpu}");
    }
}
