namespace Surveillance.Alerts.Mqtt;

/// <summary>The broker cannot take a message right now; the message stays queued and goes out after reconnecting.</summary>
public sealed class MqttLinkDownException(string message, Exception? inner = null) : Exception(message, inner);
