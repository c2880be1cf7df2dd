using Prometheus;

namespace Surveillance.Alerts;

/// <summary>Prometheus metrics of the alert stage and the MQTT link, in the registry of the engine whose factory built them.</summary>
public sealed class AlertsMetrics
{
    public AlertsMetrics(IMetricFactory factory)
    {
        Published = factory.CreateCounter(
            "surveillance_alerts_published_total", "Alerts acknowledged by the MQTT broker (QoS 1).", ["camera"]);
        MessagesPublished = factory.CreateCounter(
            "surveillance_mqtt_messages_published_total", "Messages of every kind acknowledged by the broker.", ["kind"]);
        OutboxDepth = factory.CreateGauge(
            "surveillance_outbox_depth", "Durable messages (alerts) stored and not yet acknowledged by the broker.");
        OutboxBytes = factory.CreateGauge(
            "surveillance_outbox_bytes", "Bytes the stored messages count against Outbox:MaxBytes (payload, topic, summary, user properties).");
        OutboxOldestAge = factory.CreateGauge(
            "surveillance_outbox_oldest_pending_seconds", "Age of the oldest message waiting in the outbox.");
        OutboxEvicted = factory.CreateCounter(
            "surveillance_outbox_evicted_total", "Undelivered messages evicted from the outbox, or refused by it, by reason: size (Outbox:MaxMessages), bytes (Outbox:MaxBytes), age (Outbox:MaxAgeHours).",
            ["reason"]);
        PublishLatency = factory.CreateHistogram(
            "surveillance_publish_latency_seconds", "From storing a message in the outbox to the broker's acknowledgement.",
            new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 20) });
        BrokerConnected = factory.CreateGauge(
            "surveillance_mqtt_connected", "1 while the engine is connected to the MQTT broker.");
    }

    public Counter Published { get; }

    public Counter MessagesPublished { get; }

    public Gauge OutboxDepth { get; }

    public Gauge OutboxBytes { get; }

    public Gauge OutboxOldestAge { get; }

    public Counter OutboxEvicted { get; }

    public Histogram PublishLatency { get; }

    public Gauge BrokerConnected { get; }
}
