namespace Surveillance.Alerts;

/// <summary>Takes alerts for delivery; delivery happens in the background, in order.</summary>
public interface IAlertPublisher
{
    /// <summary>Queues an alert. Never blocks on the broker: when the queue is full the oldest alert is dropped and counted.</summary>
    void Enqueue(Alert alert);
}
