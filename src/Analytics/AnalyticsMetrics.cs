using Prometheus;

namespace Surveillance.Analytics;

/// <summary>Prometheus metrics of the detection stage, in the registry of the engine whose factory built them.</summary>
public sealed class AnalyticsMetrics
{
    public AnalyticsMetrics(IMetricFactory factory)
    {
        InferenceDuration = factory.CreateHistogram(
            "surveillance_inference_duration_seconds", "Time of one model run (a batch of one or more frames), ONNX Runtime only.",
            new HistogramConfiguration
            {
                Buckets = Histogram.ExponentialBuckets(0.002, 1.6, 18), // 2 ms to 5.9 s
            });
        BatchSize = factory.CreateHistogram(
            "surveillance_inference_batch_size", "Frames (of different cameras) per model run.",
            new HistogramConfiguration
            {
                Buckets = [1, 2, 4, 8, 16, 32, 64],
            });
    }

    public Histogram InferenceDuration { get; }

    public Histogram BatchSize { get; }
}
