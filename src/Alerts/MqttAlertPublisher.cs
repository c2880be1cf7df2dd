using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Surveillance.Alerts;

/// <summary>
/// Publishes alerts at QoS 1 and removes one from its queue only once the broker has acknowledged it;
/// while the broker is unreachable it reconnects with backoff and the queue holds what arrives.
/// </summary>
public sealed partial class MqttAlertPublisher : BackgroundService, IAlertPublisher
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);

    private readonly MqttOptions _options;
    private readonly string _clientId;
    private readonly ILogger<MqttAlertPublisher> _logger;
    private readonly Channel<Alert> _queue;
    private readonly IMqttClient _client;

    public MqttAlertPublisher(IOptions<MqttOptions> options, IOptions<NodeIdentity> node, ILogger<MqttAlertPublisher> logger)
    {
        _options = options.Value;
        _clientId = $"surveillance-{node.Value.Id}";
        _logger = logger;
        _queue = Channel.CreateBounded<Alert>(
            new BoundedChannelOptions(_options.QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
            },
            dropped =>
            {
                AlertsMetrics.Dropped.WithLabels(dropped.CameraId).Inc();
                LogAlertDropped(dropped.Id, dropped.CameraId, _options.QueueCapacity);
            });
        _client = new MqttClientFactory().CreateMqttClient();
    }

    /// <summary>Where alerts go, as host:port (no credentials).</summary>
    public string BrokerEndpoint => $"{BrokerHost}:{_options.Port}";

    private string BrokerHost => _options.UsesEmbeddedBroker ? "127.0.0.1" : _options.Host;

    public void Enqueue(Alert alert)
    {
        if (!_queue.Writer.TryWrite(alert))
            throw new InvalidOperationException("The alert publisher has stopped.");
        AlertsMetrics.Queued.Set(_queue.Reader.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reconnectDelay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EnsureConnectedAsync(stoppingToken).ConfigureAwait(false);
                reconnectDelay = TimeSpan.FromSeconds(1);
                await PublishQueuedAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Whatever broke the link (refused, timed out, reset, rejected), the cure is the same: reconnect.
                await DisconnectQuietlyAsync(stoppingToken).ConfigureAwait(false);
                LogBrokerUnavailable(BrokerEndpoint, e.Message, _queue.Reader.Count, reconnectDelay.TotalSeconds);
                await Task.Delay(reconnectDelay, stoppingToken).ConfigureAwait(false);
                reconnectDelay = TimeSpan.FromTicks(Math.Min(reconnectDelay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
            return;

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(BrokerHost, _options.Port)
            .WithClientId(_clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(_options.TimeoutSeconds))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithCleanStart(true);
        if (!string.IsNullOrEmpty(_options.Username))
            builder = builder.WithCredentials(_options.Username, _options.Password);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        var result = await _client.ConnectAsync(builder.Build(), timeout.Token).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException($"broker refused the connection: {result.ResultCode} {result.ReasonString}");

        AlertsMetrics.BrokerConnected.Set(1);
        LogBrokerConnected(BrokerEndpoint, _queue.Reader.Count);
    }

    private async Task PublishQueuedAsync(CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Peek, publish, then take: an alert leaves the queue only once the broker holds it.
            while (reader.TryPeek(out var alert))
            {
                await PublishAsync(alert, cancellationToken).ConfigureAwait(false);
                reader.TryRead(out _);
                AlertsMetrics.Queued.Set(reader.Count);
            }
        }
    }

    private async Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        var topic = AlertTopics.For(_options.TopicPrefix, alert.GridId, alert.CameraId);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(AlertJson.Serialize(alert))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        var result = await _client.PublishAsync(message, timeout.Token).ConfigureAwait(false);
        if (!result.IsSuccess)
            throw new InvalidOperationException($"broker rejected alert {alert.Id}: {result.ReasonCode} {result.ReasonString}");

        AlertsMetrics.Published.WithLabels(alert.CameraId, alert.Label).Inc();
        LogAlertPublished(alert.Id, alert.Label, alert.Score, alert.CameraId, alert.GridId,
            alert.Location?.Lat, alert.Location?.Lon, topic);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_queue.Reader.Count > 0)
            LogUnpublishedAtStop(_queue.Reader.Count);
        await DisconnectQuietlyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops a link that failed (or is no longer wanted) so the next attempt starts clean.</summary>
    private async Task DisconnectQuietlyAsync(CancellationToken cancellationToken)
    {
        AlertsMetrics.BrokerConnected.Set(0);
        if (!_client.IsConnected)
            return;
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            // The broker went away first; there is nothing left to tell it.
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Alert {AlertId} published: {Label} ({Score:0.00}) on camera {CameraId}, grid {GridId}, at {Lat}, {Lon} -> {Topic}")]
    private partial void LogAlertPublished(string alertId, string label, double score, string cameraId, string gridId, double? lat, double? lon, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MQTT broker {Broker}; {Queued} alerts queued")]
    private partial void LogBrokerConnected(string broker, int queued);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "MQTT broker {Broker} unavailable ({Reason}); {Queued} alerts queued, retrying in {DelaySeconds} s")]
    private partial void LogBrokerUnavailable(string broker, string reason, int queued, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert queue full ({Capacity}): dropped alert {AlertId} of camera {CameraId}")]
    private partial void LogAlertDropped(string alertId, string cameraId, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Count} alerts not yet published")]
    private partial void LogUnpublishedAtStop(int count);
}
