namespace Surveillance.Alerts.Mqtt;

/// <summary>Something the engine publishes. Messages are QoS 1: delivered at least once, in order.</summary>
/// <param name="Topic">Full topic, prefix included.</param>
/// <param name="Payload">The bytes as they go on the wire.</param>
/// <param name="ContentType">MQTT 5 content type, so brokers and bridges can route without parsing.</param>
/// <param name="Retain">Whether the broker keeps it for late subscribers (status, availability).</param>
/// <param name="Kind">What it is, for logs and metrics: <c>alert</c>, <c>status</c>, …</param>
/// <param name="CameraId">The camera it concerns, if any, for metrics.</param>
/// <param name="Summary">One line for the log once the broker has it; holds no secrets.</param>
public sealed record MqttMessage(
    string Topic,
    byte[] Payload,
    string ContentType,
    bool Retain,
    string Kind,
    string? CameraId,
    string Summary)
{
    /// <summary>MQTT 5 user properties (e.g. severity, rule), so that brokers and bridges can route without parsing JSON.</summary>
    public IReadOnlyDictionary<string, string> UserProperties { get; init; } = new Dictionary<string, string>();
}
