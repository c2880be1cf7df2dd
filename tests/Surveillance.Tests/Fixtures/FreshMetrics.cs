using Prometheus;
using Surveillance.Alerts;
using Surveillance.Analytics;
using Surveillance.Cameras;
using Surveillance.Ingest;

namespace Surveillance.Tests.Fixtures;

/// <summary>Metrics in a registry of their own, for parts built outside an engine: nothing else counts into them.</summary>
public static class FreshMetrics
{
    public static IMetricFactory Factory() => Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());

    public static CameraIngestMetrics Ingest(string cameraId) => new IngestMetrics(Factory()).ForCamera(cameraId);

    public static PipelineMetrics Pipeline() => new(Factory());

    public static AnalyticsMetrics Analytics() => new(Factory());

    public static AlertsMetrics Alerts() => new(Factory());
}
