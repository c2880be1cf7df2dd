using Prometheus;

namespace Surveillance.Alerts;

/// <summary>Prometheus metrics of the alert stage.</summary>
public static class AlertsMetrics
{
    public static readonly Counter Published = Metrics.CreateCounter(
        "surveillance_alerts_published_total", "Alerts acknowledged by the MQTT broker (QoS 1).", "camera", "label");

    public static readonly Counter Dropped = Metrics.CreateCounter(
        "surveillance_alerts_dropped_total", "Alerts discarded because the in-memory queue was full while the broker was unreachable.", "camera");

    public static readonly Gauge Queued = Metrics.CreateGauge(
        "surveillance_alerts_queued", "Alerts waiting to be published.");

    public static readonly Gauge BrokerConnected = Metrics.CreateGauge(
        "surveillance_mqtt_connected", "1 while the engine is connected to the MQTT broker.");
}
