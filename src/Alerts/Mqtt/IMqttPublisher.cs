namespace Surveillance.Alerts.Mqtt;

/// <summary>Takes messages for delivery to the broker; delivery happens in the background.</summary>
public interface IMqttPublisher
{
    /// <summary>
    /// Publishes the latest state of something (a camera's status): only the newest message per topic
    /// matters, so a newer one replaces one still waiting. Not kept across restarts.
    /// </summary>
    void PublishState(MqttMessage message);

    /// <summary>
    /// Stores a message durably before it is published, under the next sequence number of
    /// <paramref name="cameraId"/>, which <paramref name="build"/> writes into the payload. It is delivered
    /// in order, at least once, through broker outages and engine restarts.
    /// </summary>
    /// <returns>The sequence number given to the message.</returns>
    long AppendDurable(string cameraId, Func<long, MqttMessage> build);
}
