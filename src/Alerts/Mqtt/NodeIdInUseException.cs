namespace Surveillance.Alerts.Mqtt;

/// <summary>Another running engine already announces this node id on the broker: this one must not run beside it.</summary>
public sealed class NodeIdInUseException(string nodeId, NodeAvailability other)
    : Exception($"Node:Id: '{nodeId}' is already in use by a running engine (instance {other.InstanceId}, started {other.StartedAt:u}) on the same broker; " +
                "give each engine its own Node:Id (the default is the host name) or stop the other one")
{
    public string NodeId { get; } = nodeId;
}
