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
    IReadOnlyList<double> AlertLatenciesMs)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    /// <summary>Every detected frame's capture-to-publish time, as the engine measures it.</summary>
    private const string LatencyHistogram = "surveillance_capture_to_publish_seconds";

    /// <summary>Each model run, as the engine times it: how much of the latency is the run itself, stretched by what shares the CPU.</summary>
    private const string InferenceHistogram = "surveillance_inference_duration_seconds";

    /// <summary>The quantiles reported: p50, p95, p99.</summary>
    public static readonly double[] LatencyQuantiles = [0.50, 0.95, 0.99];
    private static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(90);

    public double AnalysedTotalPerSecond => AnalysedPerSecond.Sum();

    public static async Task<EngineRun> MeasureAsync(BenchSettings bench, string media, int cameras, double detectFps,
        bool measureLatency, CancellationToken cancellationToken)
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
        var before = await engine.ScrapeAsync(cancellationToken).ConfigureAwait(false);
        var cpuBefore = engine.CpuSeconds();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        probe?.Start();
        await Task.Delay(TimeSpan.FromSeconds(bench.Seconds), cancellationToken).ConfigureAwait(false);
        var latencies = probe?.Stop() ?? [];
        var after = await engine.ScrapeAsync(cancellationToken).ConfigureAwait(false);
        var cpuAfter = engine.CpuSeconds();
        var seconds = clock.Elapsed.TotalSeconds;
        var rss = engine.RssMb();

        double[] Rates(string metric)
        {
            var start = PrometheusText.PerCamera(before, metric);
            var end = PrometheusText.PerCamera(after, metric);
            return [.. Enumerable.Range(0, cameras).Select(i =>
                (end.GetValueOrDefault(CameraId(i)) - start.GetValueOrDefault(CameraId(i))) / seconds)];
        }

        double[] Quantiles(string histogram)
        {
            var start = PrometheusText.Buckets(before, histogram);
            var end = PrometheusText.Buckets(after, histogram);
            return [.. LatencyQuantiles.Select(q => 1000 * PrometheusText.Quantile(start, end, q))];
        }
        var latencyBefore = PrometheusText.Buckets(before, LatencyHistogram);
        var latencyAfter = PrometheusText.Buckets(after, LatencyHistogram);

        return new EngineRun(cameras, detectFps,
            Rates("surveillance_frames_analysed_total"), Rates("surveillance_frames_dropped_total"),
            cpuAfter.Engine - cpuBefore.Engine, cpuAfter.Ffmpeg - cpuBefore.Ffmpeg, rss,
            Quantiles(LatencyHistogram), Quantiles(InferenceHistogram), (long)PrometheusText.Count(latencyBefore, latencyAfter), latencies);
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
