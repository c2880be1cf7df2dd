using System.Diagnostics;
using Surveillance.Analytics;

namespace Surveillance.EndToEnd;

/// <summary>
/// The inference limit: the configured model run back to back by as many sessions, with as many threads,
/// as the engine's detector workers use, in full batches of the configured size — no decoding, no preprocessing,
/// no pipeline. Counts frames, as the engine does.
/// </summary>
public static class RawInference
{
    /// <summary>How long one worker's run of a full batch takes at <paramref name="framesPerSecond"/> over all workers.</summary>
    public static double RunMilliseconds(DetectorOptions options, double framesPerSecond) =>
        1000.0 * options.EffectiveWorkers * options.BatchSize / framesPerSecond;

    public static double PerSecond(DetectorOptions options, byte[] frame, int width, int height, TimeSpan window)
    {
        var detectors = Enumerable.Range(0, options.EffectiveWorkers).Select(_ => new OnnxObjectDetector(options)).ToList();
        try
        {
            foreach (var detector in detectors)
            {
                for (var slot = 0; slot < options.BatchSize; slot++)
                    detector.Load(slot, frame, width, height);
                for (var i = 0; i < 3; i++)
                    detector.Run(options.BatchSize);
            }

            var runs = new long[detectors.Count];
            var clock = Stopwatch.StartNew();
            Parallel.For(0, detectors.Count, new ParallelOptions { MaxDegreeOfParallelism = detectors.Count }, i =>
            {
                while (clock.Elapsed < window)
                {
                    detectors[i].Run(options.BatchSize);
                    runs[i] += options.BatchSize;
                }
            });
            return runs.Sum() / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var detector in detectors)
                detector.Dispose();
        }
    }
}
