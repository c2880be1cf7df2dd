namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// Every topic the engine uses. A grid operator subscribes to <c>{prefix}/alerts/{gridId}/#</c>, the command
/// centre to <c>{prefix}/alerts/#</c>.
/// </summary>
public sealed class MqttTopics(string prefix, string nodeId)
{
    public string Prefix => prefix;

    public string Alert(string gridId, string cameraId) => $"{prefix}/alerts/{gridId}/{cameraId}";

    /// <summary>A review item each time an operator works it (acknowledge, assign, close), for the dispatch system; not retained.</summary>
    public string Review(string gridId, string cameraId) => $"{prefix}/reviews/{gridId}/{cameraId}";

    /// <summary>The JPEG of an event's best frame, published once per event, not retained.</summary>
    public string Snapshot(string cameraId, string eventId) => $"{prefix}/snapshots/{cameraId}/{eventId}";

    public string CameraStatus(string cameraId) => $"{prefix}/cameras/{cameraId}/status";

    /// <summary>This node's availability: retained <c>online</c> while it runs, <c>offline</c> (its last will) when it dies.</summary>
    public string NodeAvailability => $"{prefix}/nodes/{nodeId}/availability";

    public string VehiclePosition(string vehicleId) => $"{prefix}/vehicles/{vehicleId}/position";

    /// <summary>The filter matching every vehicle's position topic.</summary>
    public string AllVehiclePositions => $"{prefix}/vehicles/+/position";

    /// <summary>The vehicle id in a position topic, or null when the topic is not one.</summary>
    public string? VehicleIdOf(string topic)
    {
        var start = $"{prefix}/vehicles/";
        const string end = "/position";
        if (!topic.StartsWith(start, StringComparison.Ordinal) || !topic.EndsWith(end, StringComparison.Ordinal))
            return null;
        var id = topic[start.Length..^end.Length];
        return id.Length == 0 || id.Contains('/') ? null : id;
    }
}
