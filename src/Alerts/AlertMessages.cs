using System.Globalization;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Alerts;

/// <summary>Turns alerts and event snapshots into the messages that carry them to the grid dispatch system.</summary>
public sealed class AlertMessages(IMqttPublisher publisher, MqttTopics topics)
{
    public const string Kind = "alert";
    public const string SnapshotKind = "snapshot";

    public void Publish(Alert alert) => publisher.Enqueue(ToMessage(alert));

    /// <summary>Publishes the JPEG of an event's best frame to <c>{prefix}/snapshots/{cameraId}/{eventId}</c>, not retained.</summary>
    public void PublishSnapshot(string cameraId, string eventId, byte[] jpeg) => publisher.Enqueue(new MqttMessage(
        topics.Snapshot(cameraId, eventId), jpeg, "image/jpeg", Retain: false, SnapshotKind, cameraId,
        $"Snapshot of event {eventId} on camera {cameraId} ({jpeg.Length} bytes)"));

    public MqttMessage ToMessage(Alert alert)
    {
        var where = alert.Location is { } l
            ? string.Create(CultureInfo.InvariantCulture, $"at {l.Lat}, {l.Lon} ({l.Source})")
            : "location unknown";
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Alert {alert.Id} published: {alert.Type} {alert.RuleType} '{alert.Rule}' ({alert.Severity}), event {alert.EventId}: {alert.Label} ({alert.Score:0.00}) on camera {alert.CameraId}, grid {alert.GridId}, {where}");
        return new MqttMessage(topics.Alert(alert.GridId, alert.CameraId), AlertJson.Serialize(alert), "application/json",
            Retain: false, Kind, alert.CameraId, summary);
    }
}
