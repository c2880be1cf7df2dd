namespace Surveillance.Host.Api;

/// <summary>What <c>GET /api/health</c> answers: whether the node is alive, and whether it is ready (engine started, MQTT link up).</summary>
/// <param name="Status"><c>starting</c>, <c>ok</c> or <c>stopping</c>.</param>
/// <param name="Ready">Started, not stopping, and connected to the broker: alerts leave the node.</param>
/// <param name="NodeId">The configured <c>Node:Id</c>.</param>
/// <param name="InstanceId">This run of the engine; a restart changes it.</param>
public sealed record HealthReport(
    string Status,
    bool Ready,
    string NodeId,
    string InstanceId,
    int ProcessId,
    DateTime StartedAt,
    bool MqttConnected);
