using Microsoft.Extensions.Logging;

namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// How a stored message that reached the broker is counted and logged, whichever outbox it left: a node's own, or a
/// cluster's shared one. The log line is the caller's, so it names where the message came from.
/// </summary>
public static partial class StoredDelivery
{
    public static void Record(AlertsMetrics metrics, ILogger logger, MqttMessage message, string cameraId, TimeSpan sinceStored)
    {
        metrics.PublishLatency.WithLabels(message.Kind).Observe(Math.Max(0, sinceStored.TotalSeconds));
        metrics.MessagesPublished.WithLabels(message.Kind).Inc();
        if (message.Kind == AlertMessages.Kind)
        {
            metrics.Published.WithLabels(cameraId).Inc();
            LogAlertPublished(logger, message.Summary, message.Topic);
        }
        else
        {
            LogPublished(logger, message.Summary, message.Topic);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Summary} -> {Topic}")]
    private static partial void LogAlertPublished(ILogger logger, string summary, string topic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Summary} -> {Topic}")]
    private static partial void LogPublished(ILogger logger, string summary, string topic);
}
