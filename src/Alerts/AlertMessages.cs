using System.Globalization;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Alerts;

/// <summary>Turns alerts and event snapshots into the messages that carry them to the grid dispatch system.</summary>
public sealed class AlertMessages(IMqttPublisher publisher, MqttTopics topics)
{
    public const string Kind = "alert";
    public const string SnapshotKind = "snapshot";

    /// <summary>Stores the alert durably under its camera's next sequence number and queues it for the broker.</summary>
    public long Publish(Alert alert) => publisher.AppendDurable(alert.CameraId, seq => ToMessage(alert with { Seq = seq }));

    /// <summary>
    /// Stores the JPEG of an event's best frame durably, for <c>{prefix}/snapshots/{cameraId}/{eventId}</c>, not
    /// retained. Stored before the event's <c>end</c>, so it is published before it. Snapshots are numbered
    /// apart from alerts, so that the alerts' sequence stays gapless for consumers who check it.
    /// </summary>
    public void PublishSnapshot(string cameraId, string eventId, byte[] jpeg) => publisher.AppendDurable(
        SnapshotSequence(cameraId),
        seq => new MqttMessage(topics.Snapshot(cameraId, eventId), jpeg, "image/jpeg", Retain: false, SnapshotKind, cameraId,
            $"Snapshot {seq} of camera {cameraId}, event {eventId} ({jpeg.Length} bytes)")
        {
            UserProperties = new Dictionary<string, string> { ["cameraId"] = cameraId, ["eventId"] = eventId },
        });

    public MqttMessage ToMessage(Alert alert)
    {
        var where = alert.Location is { } l
            ? string.Create(CultureInfo.InvariantCulture, $"at {l.Lat}, {l.Lon} ({l.Source})")
            : "location unknown";
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Alert {alert.Id} (seq {alert.Seq}) published: {alert.Label} ({alert.Score:0.00}) on camera {alert.CameraId}, grid {alert.GridId}, {where}; {alert.Type} of {alert.RuleType} rule '{alert.Rule}' ({alert.Severity}), event {alert.EventId}");
        return new MqttMessage(topics.Alert(alert.GridId, alert.CameraId), AlertJson.Serialize(alert), "application/json",
            Retain: false, Kind, alert.CameraId, summary)
        {
            // Brokers and bridges route on these without parsing the JSON.
            UserProperties = new Dictionary<string, string>
            {
                ["type"] = alert.Type,
                ["rule"] = alert.Rule,
                ["ruleType"] = alert.RuleType,
                ["severity"] = alert.Severity,
                ["eventId"] = alert.EventId,
                ["gridId"] = alert.GridId,
                ["cameraId"] = alert.CameraId,
                ["label"] = alert.Label,
            },
        };
    }

    /// <summary>Camera ids never contain ':', so this sequence cannot be a camera's.</summary>
    private static string SnapshotSequence(string cameraId) => $"snapshots:{cameraId}";
}
