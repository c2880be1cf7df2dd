using System.Globalization;
using System.Text.RegularExpressions;

namespace Surveillance.EndToEnd;

/// <summary>
/// What one camera costs a node that is busy with cameras: the engine's <c>track</c> command (a camera's pipeline:
/// ffmpeg decoding to the detect size, motion gate, detector, tracker, rules) on the street video at 5 fps with the
/// motion gate on, run as fast as it goes, and the CPU-seconds of it and its ffmpeg per minute of video.
/// As fast as it goes, the detector never waits for a frame, as on a node that carries as many cameras as its cores take.
/// One camera alone in a live engine would not compare the configurations under the same conditions: one that keeps up
/// with 5 fps waits for every frame, and a model run after a wait costs more CPU (measured, not explained: likely cold caches), while one that cannot
/// keep up never waits (see docs/performance.md, "Ways of detecting").
/// </summary>
public static partial class CameraCost
{
    public const double DetectFps = 5;

    /// <summary>One run of one configuration.</summary>
    /// <param name="CpuSeconds">The track command's CPU, its ffmpeg's included, from its start (loading the models) to its end.</param>
    public sealed record Sample(double CpuSeconds, long Analysed, long Regions, double WallSeconds)
    {
        public double CpuSecondsPerCameraMinute => CpuSeconds / Analysed * DetectFps * 60;
    }

    /// <summary>A configuration's runs, one per round.</summary>
    public sealed record Result(IReadOnlyList<Sample> Samples)
    {
        /// <summary>The median run's.</summary>
        public double CpuSecondsPerCameraMinute => Median(Samples.Select(s => s.CpuSecondsPerCameraMinute));

        public double CamerasPerCore => 60 / CpuSecondsPerCameraMinute;

        public double RegionsPerAnalysedFrame => Samples[0].Analysed == 0 ? 0 : (double)Samples[0].Regions / Samples[0].Analysed;
    }

    public static async Task<Sample> MeasureAsync(BenchSettings bench, string media, DetectionConfiguration configuration, CancellationToken cancellationToken)
    {
        var settings = configuration.Settings(bench.RepoRoot, bench.Model, bench.DetectWidth, bench.DetectHeight);
        // A node runs one detector thread per worker and a worker per core by default: one camera's share of it.
        settings["Detector:Threads"] = Math.Max(bench.Threads, 1).ToString(CultureInfo.InvariantCulture);
        settings["Detector:ExecutionProvider"] = bench.Provider.ToString();
        settings["Ingest:HardwareDecoding"] = bench.HardwareDecoding.ToString();
        var results = Path.Combine(Path.GetTempPath(), $"surveillance-bench-{Guid.NewGuid():N}.txt");
        try
        {
            var run = await TrackProcess.RunAsync(bench.RepoRoot, [
                "track", "--input", media, "--output", results, "--fps", DetectFps.ToString(CultureInfo.InvariantCulture),
                .. settings.Select(s => $"--{s.Key}={s.Value}"),
            ], cancellationToken).ConfigureAwait(false);
            var summary = Summary().Match(run.Output);
            if (!summary.Success)
                throw new InvalidOperationException($"track's summary line was not found in: {run.Output}");
            long Number(int group) => summary.Groups[group].Success ? long.Parse(summary.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            if (Number(1) == 0)
                throw new InvalidOperationException($"track analysed no frame of {media}: {run.Output}");
            return new Sample(run.CpuSeconds, Number(1), Number(2), run.WallSeconds);
        }
        finally
        {
            File.Delete(results);
        }
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // "… for 398 of 795 frame(s) at 5 fps (398 detected, 349 of them in 818 region(s), …": analysed frames, regions.
    [GeneratedRegex(@"for (\d+) of \d+ frame\(s\) at [\d.]+ fps \(\d+ detected(?:, \d+ of them in (\d+) region\(s\))?")]
    private static partial Regex Summary();
}
