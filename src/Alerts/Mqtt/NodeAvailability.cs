using System.Text.Json;
using System.Text.Json.Serialization;

namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// The retained message on <c>{prefix}/nodes/{nodeId}/availability</c>: <c>online</c> while the node runs;
/// <c>offline</c> when it stops, and as its MQTT last will, so a node that dies also reads offline.
/// </summary>
public sealed record NodeAvailability(string NodeId, string State)
{
    /// <summary>Alerts stored and not yet acknowledged by the broker (absent in the last will).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OutboxPending { get; init; }

    /// <summary>Age of the oldest of those, in seconds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OutboxOldestSeconds { get; init; }

    public const string Online = "online";
    public const string Offline = "offline";

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, NodeAvailabilityJsonContext.Default.NodeAvailability);

    public static NodeAvailability? FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, NodeAvailabilityJsonContext.Default.NodeAvailability);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NodeAvailability))]
internal sealed partial class NodeAvailabilityJsonContext : JsonSerializerContext;
