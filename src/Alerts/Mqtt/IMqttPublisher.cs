namespace Surveillance.Alerts.Mqtt;

/// <summary>Takes messages for delivery to the broker; delivery happens in the background, in order.</summary>
public interface IMqttPublisher
{
    /// <summary>Queues a message. Never blocks on the broker: when the queue is full the oldest message is dropped and counted.</summary>
    void Enqueue(MqttMessage message);
}
