using Surveillance.Alerts.Mqtt;

namespace Surveillance.Alerts.Outbox;

/// <summary>A message in the outbox, with its place in the queue and when it was stored.</summary>
public sealed record StoredMessage(long RowId, MqttMessage Message, DateTime StoredAt)
{
    /// <summary>Its number in its sequence (an alert's <c>seq</c>).</summary>
    public long Seq { get; init; }

    /// <summary>In a cluster, the ownership epoch its camera was held under when it was made; null on a node alone.</summary>
    public long? Epoch { get; init; }
}
