using Prometheus;

namespace Surveillance.Alerts.Reviews;

/// <summary>Prometheus metrics of the review queue, in the registry of the engine whose factory built them.</summary>
public sealed class ReviewMetrics(IMetricFactory factory)
{
    public Counter FalseAlarms { get; } = factory.CreateCounter(
        "surveillance_false_alarms_total", "Review items closed as false alarms, one per rule of the item.", ["camera", "rule"]);

    public Counter Muted { get; } = factory.CreateCounter(
        "surveillance_events_muted_total", "Events a mute kept from opening (POST /api/cameras/{id}/mutes).", ["camera", "rule"]);

    public Counter StreamDropped { get; } = factory.CreateCounter(
        "surveillance_review_stream_dropped_total", "Live-stream subscribers dropped because they did not read their buffer (Reviews:StreamBuffer).");
}
