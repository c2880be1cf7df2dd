using Surveillance.Alerts.Mqtt;

namespace Surveillance.Alerts.Outbox;

/// <summary>A message in the outbox, with its place in the queue and when it was stored.</summary>
public sealed record StoredMessage(long RowId, MqttMessage Message, DateTime StoredAt);
