using System.Globalization;

namespace Surveillance.EndToEnd;

/// <summary>
/// What one camera costs the node: the engine with one camera of the bundled street video at 5 fps, the motion gate on
/// (as shipped), and the CPU time of the engine and its ffmpeg over a window, per camera-minute. One camera, so that the
/// node is never overloaded (an overloaded node drops frames and so seems to cost less). Where one camera's detection
/// still falls behind (a model run longer than 1/5 s), the engine's CPU is scaled to every frame; the share of frames
/// dropped is reported beside it.
/// </summary>
public static class CameraCost
{
    public const double DetectFps = 5;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    public sealed record Result(double CpuSecondsPerCameraMinute, double CamerasPerCore, double DroppedShare, double AnalysedPerSecond, double RegionsPerAnalysedFrame);

    public static async Task<Result> MeasureAsync(BenchSettings bench, string media, DetectionConfiguration configuration, CancellationToken cancellationToken)
    {
        var settings = configuration.Settings(bench.RepoRoot, bench.Model, bench.DetectWidth, bench.DetectHeight);
        settings["Detector:Workers"] = bench.Workers.ToString(CultureInfo.InvariantCulture);
        settings["Detector:Threads"] = bench.Threads.ToString(CultureInfo.InvariantCulture);
        settings["Detector:ExecutionProvider"] = bench.Provider.ToString();
        settings["Ingest:HardwareDecoding"] = bench.HardwareDecoding.ToString();
        settings["Cameras:0:Id"] = EngineRun.CameraId(0);
        settings["Cameras:0:Url"] = media;
        settings["Cameras:0:DetectFps"] = DetectFps.ToString(CultureInfo.InvariantCulture);
        settings["Cameras:0:DetectWidth"] = bench.DetectWidth.ToString(CultureInfo.InvariantCulture);
        settings["Cameras:0:DetectHeight"] = bench.DetectHeight.ToString(CultureInfo.InvariantCulture);
        settings["Cameras:0:Latitude"] = "31.2304";
        settings["Cameras:0:Longitude"] = "121.4737";

        await using var engine = await EngineProcess.StartAsync(bench.RepoRoot, settings, cancellationToken).ConfigureAwait(false);
        await Task.Delay(WarmUp, cancellationToken).ConfigureAwait(false);
        var before = await engine.ScrapeAsync(cancellationToken).ConfigureAwait(false);
        var cpuBefore = engine.CpuSeconds();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(bench.Seconds), cancellationToken).ConfigureAwait(false);
        var after = await engine.ScrapeAsync(cancellationToken).ConfigureAwait(false);
        var cpuAfter = engine.CpuSeconds();
        var minutes = clock.Elapsed.TotalMinutes;

        double Delta(string counter) =>
            PrometheusText.PerCamera(after, counter).Values.Sum() - PrometheusText.PerCamera(before, counter).Values.Sum();
        var decoded = Delta("surveillance_frames_decoded_total");
        var analysed = Delta("surveillance_frames_analysed_total");
        if (decoded <= 0)
            throw new InvalidOperationException($"the camera decoded no frame in the window; the engine's last lines:\n{engine.LogTail(40)}");
        var dropped = Delta("surveillance_frames_dropped_total") / decoded;
        // A camera's frames are analysed one at a time, so on a slow CPU one camera's detection can fall behind its
        // 5 fps, and the frames it has no time for are dropped before the detector, at next to no cost. The engine's CPU
        // per frame it took, for every frame decoded, is what the camera costs a node: ffmpeg decoded them all anyway.
        var engineCpu = (cpuAfter.Engine - cpuBefore.Engine) / Math.Max(1 - dropped, 0.01);
        var perCameraMinute = (engineCpu + (cpuAfter.Ffmpeg - cpuBefore.Ffmpeg)) / minutes;
        return new Result(perCameraMinute, 60 / perCameraMinute, dropped,
            analysed / clock.Elapsed.TotalSeconds, analysed == 0 ? 0 : Delta("surveillance_regions_detected_total") / analysed);
    }
}
