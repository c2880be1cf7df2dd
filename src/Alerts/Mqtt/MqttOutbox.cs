using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// The queue between the engine and the broker. A message leaves it only once the broker has acknowledged
/// it (QoS 1); while the link is down the queue holds what arrives, and when it is full the oldest message
/// is dropped and counted rather than stalling detection.
/// </summary>
public sealed partial class MqttOutbox : BackgroundService, IMqttPublisher
{
    private readonly MqttConnection _connection;
    private readonly ILogger<MqttOutbox> _logger;
    private readonly Channel<MqttMessage> _queue;
    private readonly int _capacity;
    private readonly TimeSpan _drainTimeout;

    public MqttOutbox(MqttConnection connection, IOptions<MqttOptions> options, ILogger<MqttOutbox> logger)
    {
        _connection = connection;
        _logger = logger;
        _capacity = options.Value.QueueCapacity;
        _drainTimeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        _queue = Channel.CreateBounded<MqttMessage>(
            new BoundedChannelOptions(_capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                AlertsMetrics.MessagesDropped.WithLabels(dropped.Kind).Inc();
                LogDropped(dropped.Kind, dropped.Summary, _capacity);
            });
    }

    public int Pending => _queue.Reader.Count;

    public void Enqueue(MqttMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            // Only after StopAsync: the engine is going and the message can no longer reach the broker.
            AlertsMetrics.MessagesDropped.WithLabels(message.Kind).Inc();
            LogDroppedAfterStop(message.Kind, message.Summary);
            return;
        }
        AlertsMetrics.Queued.Set(_queue.Reader.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // Peek, publish, then take: a message leaves the queue only once the broker holds it.
                while (reader.TryPeek(out var message))
                {
                    await _connection.WaitUntilConnectedAsync(stoppingToken).ConfigureAwait(false);
                    try
                    {
                        await _connection.PublishAsync(message, stoppingToken).ConfigureAwait(false);
                    }
                    catch (MqttLinkDownException e)
                    {
                        LogPublishDeferred(message.Kind, e.Message, reader.Count);
                        continue;
                    }
                    reader.TryRead(out _);
                    AlertsMetrics.Queued.Set(reader.Count);
                    OnPublished(message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (reader.Count > 0)
                LogUnpublishedAtStop(reader.Count);
        }
    }

    /// <summary>
    /// Takes no more messages and gives those queued (the <c>end</c> of every event still open when the engine
    /// stops, above all) up to <c>Mqtt:TimeoutSeconds</c> to reach the broker before publishing is cancelled.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(_drainTimeout);
        try
        {
            await _queue.Reader.Completion.WaitAsync(drain.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The broker is not there or too slow; what is left is reported as unpublished below.
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnPublished(MqttMessage message)
    {
        AlertsMetrics.MessagesPublished.WithLabels(message.Kind).Inc();
        if (message.Kind == AlertMessages.Kind)
        {
            AlertsMetrics.Published.WithLabels(message.CameraId ?? "").Inc();
            LogAlertPublished(message.Summary, message.Topic);
        }
        else
        {
            LogPublished(message.Summary, message.Topic);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Summary} -> {Topic}")]
    private partial void LogAlertPublished(string summary, string topic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Summary} -> {Topic}")]
    private partial void LogPublished(string summary, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Kind} yet ({Reason}); {Queued} messages queued")]
    private partial void LogPublishDeferred(string kind, string reason, int queued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT queue full ({Capacity}): dropped {Kind}: {Summary}")]
    private partial void LogDropped(string kind, string summary, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT outbox already stopped: dropped {Kind}: {Summary}")]
    private partial void LogDroppedAfterStop(string kind, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Count} messages not yet published")]
    private partial void LogUnpublishedAtStop(int count);
}
