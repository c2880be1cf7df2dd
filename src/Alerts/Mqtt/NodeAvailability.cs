using System.Text.Json;
using System.Text.Json.Serialization;

namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// The retained message on <c>{prefix}/nodes/{nodeId}/availability</c>: <c>online</c> while the node runs;
/// <c>offline</c> when it stops, and as its MQTT last will, so a node that dies also reads offline. An online node
/// says it again every <see cref="HeartbeatInterval"/>, which is how a second engine with the same node id tells a
/// live first one from a stale retained message.
/// </summary>
public sealed record NodeAvailability(string NodeId, string State)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>The engine process that says this (<see cref="NodeInstance.Id"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InstanceId { get; init; }

    /// <summary>When that process started, UTC.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? StartedAt { get; init; }

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
