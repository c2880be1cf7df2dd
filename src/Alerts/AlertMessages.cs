using System.Globalization;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Alerts;

/// <summary>Turns alerts into the messages that carry them to the grid dispatch system.</summary>
public sealed class AlertMessages(IMqttPublisher publisher, MqttTopics topics)
{
    public const string Kind = "alert";

    /// <summary>Stores the alert durably under its camera's next sequence number and queues it for the broker.</summary>
    public long Publish(Alert alert) => publisher.AppendDurable(alert.CameraId, seq => ToMessage(alert with { Seq = seq }));

    public MqttMessage ToMessage(Alert alert)
    {
        var where = alert.Location is { } l
            ? string.Create(CultureInfo.InvariantCulture, $"at {l.Lat}, {l.Lon} ({l.Source})")
            : "location unknown";
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Alert {alert.Id} (seq {alert.Seq}) published: {alert.Label} ({alert.Score:0.00}) on camera {alert.CameraId}, grid {alert.GridId}, {where}");
        return new MqttMessage(topics.Alert(alert.GridId, alert.CameraId), AlertJson.Serialize(alert), "application/json",
            Retain: false, Kind, alert.CameraId, summary)
        {
            // Brokers and bridges route on these without parsing the JSON.
            UserProperties = new Dictionary<string, string>
            {
                ["rule"] = "detection",
                ["severity"] = "info",
                ["gridId"] = alert.GridId,
                ["cameraId"] = alert.CameraId,
                ["label"] = alert.Label,
            },
        };
    }
}
