using Prometheus;

namespace Surveillance.Alerts;

/// <summary>Prometheus metrics of the alert stage and the MQTT link.</summary>
public static class AlertsMetrics
{
    public static readonly Counter Published = Metrics.CreateCounter(
        "surveillance_alerts_published_total", "Alerts acknowledged by the MQTT broker (QoS 1).", "camera");

    public static readonly Counter MessagesPublished = Metrics.CreateCounter(
        "surveillance_mqtt_messages_published_total", "Messages of every kind acknowledged by the broker.", "kind");

    public static readonly Gauge OutboxDepth = Metrics.CreateGauge(
        "surveillance_outbox_depth", "Durable messages (alerts) stored and not yet acknowledged by the broker.");

    public static readonly Gauge OutboxBytes = Metrics.CreateGauge(
        "surveillance_outbox_bytes", "Bytes the stored messages count against Outbox:MaxBytes (payload, topic, summary, user properties).");

    public static readonly Gauge OutboxOldestAge = Metrics.CreateGauge(
        "surveillance_outbox_oldest_pending_seconds", "Age of the oldest message waiting in the outbox.");

    public static readonly Counter OutboxEvicted = Metrics.CreateCounter(
        "surveillance_outbox_evicted_total", "Undelivered messages evicted from the outbox, or refused by it, by reason: size (Outbox:MaxMessages), bytes (Outbox:MaxBytes), age (Outbox:MaxAgeHours).",
        "reason");

    public static readonly Histogram PublishLatency = Metrics.CreateHistogram(
        "surveillance_publish_latency_seconds", "From storing a message in the outbox to the broker's acknowledgement.",
        new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 20) });

    public static readonly Gauge BrokerConnected = Metrics.CreateGauge(
        "surveillance_mqtt_connected", "1 while the engine is connected to the MQTT broker.");
}
