using System.Globalization;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Alerts;

/// <summary>Turns alerts into the messages that carry them to the grid dispatch system.</summary>
public sealed class AlertMessages(IMqttPublisher publisher, MqttTopics topics)
{
    public const string Kind = "alert";

    public void Publish(Alert alert) => publisher.Enqueue(ToMessage(alert));

    public MqttMessage ToMessage(Alert alert)
    {
        var where = alert.Location is { } l
            ? string.Create(CultureInfo.InvariantCulture, $"at {l.Lat}, {l.Lon} ({l.Source})")
            : "location unknown";
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Alert {alert.Id} published: {alert.Label} ({alert.Score:0.00}) on camera {alert.CameraId}, grid {alert.GridId}, {where}");
        return new MqttMessage(topics.Alert(alert.GridId, alert.CameraId), AlertJson.Serialize(alert), "application/json",
            Retain: false, Kind, alert.CameraId, summary);
    }
}
