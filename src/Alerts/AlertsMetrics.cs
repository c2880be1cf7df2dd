using Prometheus;

namespace Surveillance.Alerts;

/// <summary>Prometheus metrics of the alert stage and the MQTT link.</summary>
public static class AlertsMetrics
{
    public static readonly Counter Published = Metrics.CreateCounter(
        "surveillance_alerts_published_total", "Alerts acknowledged by the MQTT broker (QoS 1).", "camera");

    public static readonly Counter MessagesPublished = Metrics.CreateCounter(
        "surveillance_mqtt_messages_published_total", "Messages of every kind acknowledged by the broker.", "kind");

    public static readonly Counter MessagesDropped = Metrics.CreateCounter(
        "surveillance_mqtt_messages_dropped_total", "Messages discarded because the queue was full while the broker was unreachable.", "kind");

    public static readonly Gauge Queued = Metrics.CreateGauge(
        "surveillance_mqtt_queued", "Messages waiting to be published.");

    public static readonly Gauge BrokerConnected = Metrics.CreateGauge(
        "surveillance_mqtt_connected", "1 while the engine is connected to the MQTT broker.");
}
