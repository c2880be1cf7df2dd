using Prometheus;

namespace Surveillance.Analytics;

/// <summary>Prometheus metrics of the detection stage.</summary>
public static class AnalyticsMetrics
{
    public static readonly Histogram InferenceDuration = Metrics.CreateHistogram(
        "surveillance_inference_duration_seconds", "Time ONNX Runtime spends on one frame (model run only).",
        new HistogramConfiguration
        {
            Buckets = Histogram.ExponentialBuckets(0.002, 1.6, 14),
        });
}
