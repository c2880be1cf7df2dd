using System.Diagnostics;
using Surveillance.Analytics;

namespace Surveillance.EndToEnd;

/// <summary>
/// The inference limit: the configured model run back to back by as many sessions, with as many threads,
/// as the engine's detector workers use, in full batches of the configured size — no decoding, no preprocessing,
/// no pipeline. Counts frames, as the engine does. The sessions stay open between measurements, so that short
/// windows can alternate with the engine's.
/// </summary>
public sealed class RawInference : IDisposable
{
    private readonly DetectorOptions _options;
    private readonly List<OnnxObjectDetector> _detectors;

    public RawInference(DetectorOptions options, byte[] frame, int width, int height)
    {
        _options = options;
        // Counted in a registry of their own, as in an engine.
        var metrics = new AnalyticsMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
        _detectors = [.. Enumerable.Range(0, options.EffectiveWorkers).Select(_ => new OnnxObjectDetector(options, metrics))];
        foreach (var detector in _detectors)
        {
            for (var slot = 0; slot < options.BatchSize; slot++)
                detector.Load(slot, frame, width, height);
            for (var i = 0; i < 3; i++)
                detector.Run(options.BatchSize);
        }
    }

    /// <summary>How long one worker's run of a full batch takes at <paramref name="framesPerSecond"/> over all workers.</summary>
    public static double RunMilliseconds(DetectorOptions options, double framesPerSecond) =>
        1000.0 * options.EffectiveWorkers * options.BatchSize / framesPerSecond;

    public int Workers => _options.EffectiveWorkers;

    /// <summary>How long one worker's run of a full batch took in the last measurement.</summary>
    public TimeSpan LastRunTime { get; private set; }

    /// <summary>Frames per second over <paramref name="window"/>, every session running at once.</summary>
    public double PerSecond(TimeSpan window)
    {
        var runs = new long[_detectors.Count];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, _detectors.Count, new ParallelOptions { MaxDegreeOfParallelism = _detectors.Count }, i =>
        {
            while (clock.Elapsed < window)
            {
                _detectors[i].Run(_options.BatchSize);
                runs[i] += _options.BatchSize;
            }
        });
        var perSecond = runs.Sum() / clock.Elapsed.TotalSeconds;
        LastRunTime = TimeSpan.FromMilliseconds(RunMilliseconds(_options, perSecond));
        return perSecond;
    }

    public void Dispose()
    {
        foreach (var detector in _detectors)
            detector.Dispose();
    }
}
