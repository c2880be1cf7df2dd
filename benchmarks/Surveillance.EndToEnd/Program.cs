using System.Diagnostics;
using Surveillance.Analytics;
using Surveillance.EndToEnd;
using Surveillance.Ingest;

// ./bench.sh [--seconds=60] [--cameras=0] [--model=models/yolov5s-640.onnx] [--workers=0] [--threads=0] ...
// Measures, in one run on this machine: raw inference, ffmpeg alone vs the engine's ingest, the engine in
// overload (throughput, fairness, drops, memory) and at ~80% load (capture-to-publish latency).
var repoRoot = FindRepoRoot();
BenchSettings bench;
try
{
    bench = BenchSettings.Parse(args, repoRoot);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var token = cancel.Token;
var window = TimeSpan.FromSeconds(bench.Seconds);
var detector = new DetectorOptions
{
    Model = bench.ModelPath, Workers = bench.Workers, Threads = bench.Threads, SpinWait = bench.SpinWait,
    ExecutionProvider = bench.Provider, BatchSize = bench.BatchSize,
};
void Say(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

var media = bench.Media ?? await BenchMedia.H264Async(repoRoot, token);
var mediaDescription = await MediaProbe.DescribeAsync(SourceUrl.Parse(media), token);
Say($"camera stream: {media} ({mediaDescription}), decoded by {bench.HardwareDecoding}, detected at {bench.DetectWidth}x{bench.DetectHeight}");
Say($"model {bench.Model} on {bench.Provider}: {detector.EffectiveWorkers} worker(s) x {detector.EffectiveThreads} thread(s), " +
    $"batches of up to {bench.BatchSize}, {Environment.ProcessorCount} cores ({BenchReport.IntegerInstructions()})");

List<CameraOptions> Cameras(int count) => [.. Enumerable.Range(0, count).Select(i => new CameraOptions
{
    Id = EngineRun.CameraId(i),
    Url = media,
    DetectFps = bench.OverloadDetectFps,
    DetectWidth = bench.DetectWidth,
    DetectHeight = bench.DetectHeight,
})];
if (bench.Recovery)
{
    var samples = await SourceRecovery.MeasureAsync(repoRoot, media, [5, 30, 120], bench.Repeats, Say, token);
    var recoveryReport = Path.Combine(repoRoot, bench.Output, "recovery.md");
    await File.WriteAllTextAsync(recoveryReport, SourceRecovery.Markdown(samples), token);
    Say($"written: {recoveryReport}");
    return 0;
}
if (bench.IngestOnly)
{
    await MeasureIngestAsync(Cameras(Math.Max(bench.Cameras, 2)));
    return 0;
}

// 1. The inference limit, alone, to size the overload. It is measured again in short windows between the
//    overload run's (a virtual machine's speed drifts by a fifth within minutes), and those give the ratio.
var frame = await ReadFrameAsync(media, bench.DetectWidth, bench.DetectHeight, token);
using var raw = new RawInference(detector, frame, bench.DetectWidth, bench.DetectHeight);
var rawAtStart = raw.PerSecond(TimeSpan.FromSeconds(Math.Min(bench.Seconds, 30)));
Say($"raw inference: {rawAtStart:F2} frames/s ({RawInference.RunMilliseconds(detector, rawAtStart):F1} ms per run of " +
    $"{bench.BatchSize} frame(s) per worker)");
if (bench.ConfigurationsOnly)
{
    var figures = ConfigurationReport.Create(await MeasureConfigurationsAsync());
    var path = Path.Combine(repoRoot, bench.Output, "configurations.json");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllTextAsync(path, System.Text.Json.JsonSerializer.Serialize(figures, new System.Text.Json.JsonSerializerOptions
        { WriteIndented = true, PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase }) + "\n", token);
    Say($"written: {path}");
    return 0;
}
if (bench.LatencyOnly)
{
    var latency = await MeasureLatencyAsync(rawAtStart, "the raw inference rate");
    Say($"latency target: p99 <= {2 * RawInference.RunMilliseconds(detector, latency.InterleavedRawPerSecond.Average()) + 100:F0} ms " +
        $"(p99 {latency.LatencyQuantilesMs[2]:F0} ms)");
    return 0;
}
const double Overload = 1.5;
if (bench.Cameras == 0)
{
    // The fewest cameras that keep the detectors busy: each one more only decodes frames that are dropped.
    bench = bench with { Cameras = Math.Max(2, (int)Math.Ceiling(Overload * rawAtStart / bench.OverloadDetectFps)) };
    Say($"cameras: {bench.Cameras}, asking for {bench.Cameras * bench.OverloadDetectFps:F0} frames/s");
}
if (bench.Cameras * bench.OverloadDetectFps < Overload * rawAtStart)
{
    Console.Error.WriteLine($"{bench.Cameras} cameras at {bench.OverloadDetectFps} fps ask for {bench.Cameras * bench.OverloadDetectFps}/s, " +
        $"not an overload of {rawAtStart:F1}/s: raise --cameras (or 0 for as many as needed).");
    return 2;
}

// 2. Overload: more frames than the detectors can take, its windows alternating with the inference limit's.
var overload = await EngineRun.MeasureAsync(bench, media, bench.Cameras, bench.OverloadDetectFps, measureLatency: false, token, raw);
Say($"overload ({bench.Cameras} x {bench.OverloadDetectFps} fps): {overload.AnalysedTotalPerSecond:F2} frames analysed/s; " +
    $"per camera {string.Join(", ", overload.AnalysedPerSecond.Select(r => r.ToString("F2")))}; " +
    $"dropped/s {string.Join(", ", overload.DroppedPerSecond.Select(r => r.ToString("F2")))}; RSS {overload.RssMb:F0} MiB");
Say($"raw inference between the overload windows: {string.Join(", ", overload.InterleavedRawPerSecond.Select(r => r.ToString("F2")))} frames/s; " +
    $"engine / raw {overload.AnalysedTotalPerSecond / overload.InterleavedRawPerSecond.Average():F3}");

// 3. Decoding: ffmpeg alone and the engine's ingest stage, on the same streams.
var (ffmpegAlone, ingest) = await MeasureIngestAsync(Cameras(bench.IngestCameras is > 0 and var n ? Math.Min(n, bench.Cameras) : bench.Cameras));

// 4. About 80% load, for latency: one camera fewer (memory per camera is the difference), each slower. Its
//    windows alternate with the inference limit's too: the target is judged against the run time of the moment.
var loaded = await MeasureLatencyAsync(overload.AnalysedTotalPerSecond, "the overload rate");

// 5. Each way of detecting: what a camera costs, and what it finds on ground truth.
var configurations = await MeasureConfigurationsAsync();

var report = BenchReport.Create(bench, detector, $"{Path.GetFileName(media)} ({mediaDescription})", rawAtStart, ffmpegAlone, ingest, overload, loaded)
    with { Configurations = ConfigurationReport.Create(configurations) };
var output = Path.GetFullPath(Path.Combine(repoRoot, bench.Output));
report.Write(output);
Console.WriteLine();
Console.WriteLine(report.Markdown());
Say($"written: {Path.Combine(output, "latest.json")} and latest.md");
return 0;

async Task<List<(DetectionConfiguration, string, CameraCost.Result, IReadOnlyList<TrackAccuracy.Figures>)>> MeasureConfigurationsAsync()
{
    // The costs in rounds, each configuration once per round and the order turned by one from round to round: this
    // machine's speed drifts within minutes, and each configuration is judged against the whole frame of its own round.
    var configurations = bench.Configurations;
    var samples = configurations.ToDictionary(c => c, _ => new List<CameraCost.Sample>());
    for (var round = 0; round < bench.Rounds; round++)
    {
        for (var i = 0; i < configurations.Count; i++)
        {
            var configuration = configurations[(i + round) % configurations.Count];
            var sample = await CameraCost.MeasureAsync(bench, media, configuration, token);
            samples[configuration].Add(sample);
            Say($"round {round + 1} of {bench.Rounds}, {configuration}: {sample.CpuSecondsPerCameraMinute:F2} CPU-s per camera-minute " +
                $"({sample.CpuSeconds:F1} CPU-s, {sample.WallSeconds:F1} s, {sample.Analysed} frames analysed, {sample.Regions} regions)");
        }
    }
    var runs = new List<(DetectionConfiguration, string, CameraCost.Result, IReadOnlyList<TrackAccuracy.Figures>)>();
    foreach (var configuration in configurations)
    {
        var cost = new CameraCost.Result(samples[configuration]);
        var accuracy = await TrackAccuracy.MeasureAsync(repoRoot, configuration, token);
        Say($"{configuration}: {cost.CpuSecondsPerCameraMinute:F2} CPU-s per camera-minute, median of {cost.Samples.Count} ({cost.CamerasPerCore:F2} cameras per core, " +
            $"{cost.RegionsPerAnalysedFrame:F2} regions per analysed frame); " +
            string.Join("; ", accuracy.Select(a => $"{a.Sequence} {a.Fps} fps recall {a.Recall:F3} MOTA {a.Mota:F3}")));
        runs.Add((configuration, configuration.Model(bench.Model, bench.DetectWidth, bench.DetectHeight), cost, accuracy));
    }
    return runs;
}

async Task<EngineRun> MeasureLatencyAsync(double fullRate, string fullRateName)
{
    var latencyCameras = Math.Max(bench.Cameras - 1, 1);
    var latencyFps = Math.Round(bench.LatencyLoad * fullRate / latencyCameras, 2);
    var run = await EngineRun.MeasureAsync(bench, media, latencyCameras, latencyFps, measureLatency: true, token, raw);
    Say($"{bench.LatencyLoad:P0} load of {fullRateName} ({latencyCameras} x {latencyFps} fps): {run.AnalysedTotalPerSecond:F2} frames analysed/s, " +
        $"p50/p95/p99 {string.Join(" / ", run.LatencyQuantilesMs.Select(q => q.ToString("F0")))} ms over {run.LatencySamples} frames " +
        $"(model runs {string.Join(" / ", run.InferenceQuantilesMs.Select(q => q.ToString("F0")))} ms), " +
        $"{run.AlertLatenciesMs.Count} alerts timed by a subscriber; raw inference between its windows " +
        $"{string.Join(", ", run.InterleavedRawPerSecond.Select(r => r.ToString("F2")))} frames/s");
    return run;
}

async Task<(IngestCost.Result Alone, IngestCost.Result Ingest)> MeasureIngestAsync(List<CameraOptions> cameras)
{
    var (alone, ingest) = await IngestCost.MeasureAsync(cameras, new IngestOptions { HardwareDecoding = bench.HardwareDecoding }, window, token);
    Say($"ffmpeg alone: {alone.CpuSeconds:F2} CPU-s, {alone.Frames} frames in {bench.Seconds} s");
    Say($"engine ingest: {ingest.CpuSeconds:F2} CPU-s ({ingest.FfmpegCpuSeconds:F2} in ffmpeg), {ingest.Frames} frames in {bench.Seconds} s: " +
        $"{ingest.CpuSeconds / alone.CpuSeconds:F3} x ffmpeg alone");
    return (alone, ingest);
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Surveillance.sln")))
            return dir.FullName;
    }
    throw new InvalidOperationException("Run from inside the repository (Surveillance.sln not found above the current directory).");
}

static async Task<byte[]> ReadFrameAsync(string media, int width, int height, CancellationToken token)
{
    var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in new[] { "-hide_banner", "-loglevel", "error", "-nostdin", "-ss", "20", "-i", media, "-frames:v", "1",
                 "-vf", $"scale={width}:{height}", "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1" })
    {
        start.ArgumentList.Add(arg);
    }
    using var ffmpeg = Process.Start(start)!;
    using var pixels = new MemoryStream();
    await ffmpeg.StandardOutput.BaseStream.CopyToAsync(pixels, token);
    await ffmpeg.WaitForExitAsync(token);
    if (pixels.Length != width * height * 3)
        throw new InvalidOperationException($"ffmpeg gave {pixels.Length} bytes for one {width}x{height} frame: {await ffmpeg.StandardError.ReadToEndAsync(token)}");
    return pixels.ToArray();
}
