using System.Globalization;
using Surveillance.Analytics;

namespace Surveillance.EndToEnd;

/// <summary>One run of the engine process over a measured window, with what the metrics and /proc say.</summary>
public sealed record EngineRun(
    int Cameras,
    double DetectFps,
    double[] AnalysedPerSecond,
    double[] DroppedPerSecond,
    double EngineCpuSeconds,
    double FfmpegCpuSeconds,
    double RssMb,
    double[] LatencyQuantilesMs,
    double[] InferenceQuantilesMs,
    long LatencySamples,
    IReadOnlyList<double> AlertLatenciesMs,
    double[] InterleavedRawPerSecond)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    /// <summary>Length of one engine window and the raw window before it, when interleaved.</summary>
    private const double RoundSeconds = 10;

    private static readonly TimeSpan PausedRawWindow = TimeSpan.FromSeconds(7);

    /// <summary>Decoders paused for longer than a camera's stall timeout (10 s) would be killed as stalled.</summary>
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(9.5);

    /// <summary>The longest wait, after pausing the decoders, for the detectors to finish the frames already taken.</summary>
    private static readonly TimeSpan MaxSettle = TimeSpan.FromSeconds(2.5);

    /// <summary>The longest wait, after resuming the decoders, for them to catch up on the file's clock.</summary>
    private static readonly TimeSpan MaxRecover = TimeSpan.FromSeconds(8);

    /// <summary>Every detected frame's capture-to-publish time, as the engine measures it.</summary>
    private const string LatencyHistogram = "surveillance_capture_to_publish_seconds";

    /// <summary>Each model run, as the engine times it: how much of the latency is the run itself, stretched by what shares the CPU.</summary>
    private const string InferenceHistogram = "surveillance_inference_duration_seconds";

    /// <summary>The quantiles reported: p50, p95, p99.</summary>
    public static readonly double[] LatencyQuantiles = [0.50, 0.95, 0.99];
    private static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(90);

    public double AnalysedTotalPerSecond => AnalysedPerSecond.Sum();

    public static async Task<EngineRun> MeasureAsync(BenchSettings bench, string media, int cameras, double detectFps,
        bool measureLatency, CancellationToken cancellationToken, RawInference? interleavedRaw = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Detector:Model"] = bench.ModelPath,
            ["Detector:Workers"] = bench.Workers.ToString(CultureInfo.InvariantCulture),
            ["Detector:Threads"] = bench.Threads.ToString(CultureInfo.InvariantCulture),
            ["Detector:SpinWait"] = bench.SpinWait ? "true" : "false",
            ["Detector:ExecutionProvider"] = bench.Provider.ToString(),
            ["Detector:BatchSize"] = bench.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["Ingest:HardwareDecoding"] = bench.HardwareDecoding.ToString(),
        };
        for (var i = 0; i < cameras; i++)
        {
            var key = $"Cameras:{i}:";
            settings[key + "Id"] = CameraId(i);
            settings[key + "Name"] = $"Benchmark camera {i}";
            settings[key + "Url"] = media;
            settings[key + "DetectFps"] = detectFps.ToString("0.###", CultureInfo.InvariantCulture);
            settings[key + "DetectWidth"] = bench.DetectWidth.ToString(CultureInfo.InvariantCulture);
            settings[key + "DetectHeight"] = bench.DetectHeight.ToString(CultureInfo.InvariantCulture);
            // Every frame goes to the detector: this measures detection, not how much the gate saves.
            settings[key + "Motion:Enabled"] = "false";
            settings[key + "Latitude"] = "31.2304";
            settings[key + "Longitude"] = "121.4737";
        }

        await using var engine = await EngineProcess.StartAsync(bench.RepoRoot, settings, cancellationToken).ConfigureAwait(false);
        await WaitForEveryCameraAsync(engine, cameras, cancellationToken).ConfigureAwait(false);
        await Task.Delay(WarmUp, cancellationToken).ConfigureAwait(false);

        await using var probe = measureLatency ? await LatencyProbe.ConnectAsync(engine.MqttPort, cancellationToken).ConfigureAwait(false) : null;
        // Interleaved: the window is cut into rounds, and before each the decoders are paused (SIGSTOP) while the
        // inference limit is measured, so the two alternate within seconds and a virtual machine's drift cancels out.
        var rounds = interleavedRaw is null ? 1 : Math.Max(1, (int)Math.Round(bench.Seconds / RoundSeconds));
        var roundWindow = TimeSpan.FromSeconds(bench.Seconds / rounds);
        var rawWindow = roundWindow < PausedRawWindow ? roundWindow : PausedRawWindow;
        var raw = new List<double>();
        var analysed = new double[cameras];
        var dropped = new double[cameras];
        double seconds = 0, engineCpu = 0, ffmpegCpu = 0;
        var latency = new SortedDictionary<double, double>();
        var inference = new SortedDictionary<double, double>();
        for (var round = 0; round < rounds; round++)
        {
            if (interleavedRaw is not null)
            {
                await engine.SignalDecodersAsync("STOP").ConfigureAwait(false);
                var settled = await WaitForDetectorsIdleAsync(engine, interleavedRaw.LastRunTime, cancellationToken).ConfigureAwait(false);
                var window = MaxPause - settled < rawWindow ? MaxPause - settled : rawWindow;
                raw.Add(interleavedRaw.PerSecond(window));
                await engine.SignalDecodersAsync("CONT").ConfigureAwait(false);
                await WaitForDecodersToCatchUpAsync(engine, cameras * detectFps, cancellationToken).ConfigureAwait(false);
                // The burst filled every camera's slot at once: let the detectors work through them.
                var backlog = Math.Ceiling(cameras / (double)interleavedRaw.Workers) * interleavedRaw.LastRunTime.TotalSeconds;
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(backlog, 3)), cancellationToken).ConfigureAwait(false);
            }

            var before = await engine.ScrapeAsync(cancellationToken).ConfigureAwait(false);
            var cpuBefore = engine.CpuSeconds();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            probe?.Record(true);
            await Task.Delay(roundWindow, cancellationToken).ConfigureAwait(false);
            probe?.Record(false);
            var after = await engine.ScrapeAsync(cancellationToken).ConfigureAwait(false);
            var cpuAfter = engine.CpuSeconds();
            seconds += clock.Elapsed.TotalSeconds;
            engineCpu += cpuAfter.Engine - cpuBefore.Engine;
            ffmpegCpu += cpuAfter.Ffmpeg - cpuBefore.Ffmpeg;
            Accumulate(analysed, before, after, "surveillance_frames_analysed_total");
            Accumulate(dropped, before, after, "surveillance_frames_dropped_total");
            // Only what the rounds saw: not the paused decoders' catching up in between.
            PrometheusText.AddBuckets(latency, before, after, LatencyHistogram);
            PrometheusText.AddBuckets(inference, before, after, InferenceHistogram);
        }
        var latencies = probe?.Recorded() ?? [];
        var rss = engine.RssMb();

        double[] Quantiles(SortedDictionary<double, double> buckets) =>
            [.. LatencyQuantiles.Select(q => 1000 * PrometheusText.Quantile(buckets, q))];

        return new EngineRun(cameras, detectFps,
            [.. analysed.Select(n => n / seconds)], [.. dropped.Select(n => n / seconds)], engineCpu, ffmpegCpu, rss,
            Quantiles(latency), Quantiles(inference), (long)latency.GetValueOrDefault(double.PositiveInfinity),
            latencies, [.. raw]);
    }

    /// <summary>
    /// Waits until no frame has been analysed for two model runs: each camera's waiting frame (one per camera) is
    /// still detected after its decoder stops, and with 16 cameras that kept the detectors busy for 1.5 s of a raw
    /// window, which then read a third low. Returns how long it waited.
    /// </summary>
    private static async Task<TimeSpan> WaitForDetectorsIdleAsync(EngineProcess engine, TimeSpan runTime, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(300, 2 * runTime.TotalMilliseconds));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var analysed = await Sum(engine, "surveillance_frames_analysed_total", cancellationToken).ConfigureAwait(false);
        while (clock.Elapsed < MaxSettle)
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            var now = await Sum(engine, "surveillance_frames_analysed_total", cancellationToken).ConfigureAwait(false);
            if (now == analysed)
                break;
            analysed = now;
        }
        return clock.Elapsed;
    }

    /// <summary>
    /// Paused decoders of a file catch up on its clock in a burst, every frame decoded: waits until the frames
    /// read from them are back to the cameras' rate (with 16 cameras on 2 cores the burst outlasted a fixed 2 s
    /// and the windows counted a third more frames than the cameras give).
    /// </summary>
    private static async Task WaitForDecodersToCatchUpAsync(EngineProcess engine, double framesPerSecond, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var decoded = await Sum(engine, "surveillance_frames_decoded_total", cancellationToken).ConfigureAwait(false);
        while (clock.Elapsed < MaxRecover)
        {
            var since = clock.Elapsed;
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            var now = await Sum(engine, "surveillance_frames_decoded_total", cancellationToken).ConfigureAwait(false);
            if ((now - decoded) / (clock.Elapsed - since).TotalSeconds <= 1.1 * framesPerSecond)
                return;
            decoded = now;
        }
    }

    private static async Task<double> Sum(EngineProcess engine, string counter, CancellationToken cancellationToken) =>
        PrometheusText.PerCamera(await engine.ScrapeAsync(cancellationToken).ConfigureAwait(false), counter).Values.Sum();

    private static void Accumulate(double[] totals, string before, string after, string metric)
    {
        var start = PrometheusText.PerCamera(before, metric);
        var end = PrometheusText.PerCamera(after, metric);
        for (var i = 0; i < totals.Length; i++)
            totals[i] += end.GetValueOrDefault(CameraId(i)) - start.GetValueOrDefault(CameraId(i));
    }

    public static string CameraId(int index) => $"bench-{index}";

    private static async Task WaitForEveryCameraAsync(EngineProcess engine, int cameras, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + FirstFrameTimeout;
        while (true)
        {
            var analysed = PrometheusText.PerCamera(await engine.ScrapeAsync(cancellationToken).ConfigureAwait(false), "surveillance_frames_analysed_total");
            if (Enumerable.Range(0, cameras).All(i => analysed.GetValueOrDefault(CameraId(i)) > 0))
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not every camera had a frame analysed within {FirstFrameTimeout.TotalSeconds} s; the engine's last lines:\n{engine.LogTail(60)}");
            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
        }
    }
}
