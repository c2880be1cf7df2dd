using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Alerts.Outbox;

namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// Everything between the engine and the broker. Alerts are durable: stored in the SQLite outbox first,
/// published in order, and deleted only once the broker has acknowledged them (QoS 1), so a broker outage or
/// a killed engine loses none. State messages (camera status) keep only the newest per topic, in memory.
/// On a node of a cluster the stored messages go to the cluster's shared store instead (see <see cref="IOutboxCourier"/>),
/// which publishes them; states still go straight to the broker.
/// </summary>
public sealed partial class MqttOutbox : BackgroundService, IMqttPublisher
{
    private const int BatchSize = 200;
    private static readonly TimeSpan MaintenanceInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly MqttConnection _connection;
    private readonly SqliteOutbox _store;
    private readonly IOutboxCourier _courier;
    private readonly ICameraEpochs _epochs;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly AlertsMetrics _metrics;
    private readonly ILogger<MqttOutbox> _logger;
    private readonly Dictionary<string, MqttMessage> _latestState = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TimeSpan _drainTimeout;
    private long _lastMaintenance;
    /// <summary>States taken from <see cref="_latestState"/> and not yet acknowledged; guarded by its lock.</summary>
    private int _statesInFlight;

    public MqttOutbox(MqttConnection connection, SqliteOutbox store, IOutboxCourier courier, ICameraEpochs epochs, IOptions<OutboxOptions> options,
        IOptions<MqttOptions> mqtt, TimeProvider time, AlertsMetrics metrics, ILogger<MqttOutbox> logger)
    {
        _courier = courier;
        _epochs = epochs;
        _metrics = metrics;
        _connection = connection;
        _store = store;
        _options = options.Value;
        _drainTimeout = TimeSpan.FromSeconds(mqtt.Value.TimeoutSeconds);
        _time = time;
        _logger = logger;
    }

    public void PublishState(MqttMessage message)
    {
        lock (_latestState)
            _latestState[message.Topic] = message;
        _wake.Writer.TryWrite(true);
    }

    public long AppendDurable(string cameraId, Func<long, MqttMessage> build)
    {
        var outcome = _store.Append(cameraId, build, _time.GetUtcNow().UtcDateTime, _epochs.EpochOf);
        UpdateSizeGauges();
        if (outcome.Refused)
        {
            // Lost, so never silently: counted with what the byte bound evicts, logged, and a gap in the camera's seq.
            _metrics.OutboxEvicted.WithLabels("bytes").Inc();
            LogRefused(outcome.Seq, cameraId, outcome.Bytes, _options.MaxBytes);
        }
        if (outcome.EvictedForCount > 0)
        {
            _metrics.OutboxEvicted.WithLabels("size").Inc(outcome.EvictedForCount);
            LogEvicted(outcome.EvictedForCount, $"the outbox holds at most {_options.MaxMessages} messages (Outbox:MaxMessages)");
        }
        if (outcome.EvictedForBytes > 0)
        {
            _metrics.OutboxEvicted.WithLabels("bytes").Inc(outcome.EvictedForBytes);
            LogEvicted(outcome.EvictedForBytes, $"the outbox holds at most {_options.MaxBytes} bytes (Outbox:MaxBytes)");
        }
        _wake.Writer.TryWrite(true);
        return outcome.Seq;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = _store.Count;
        if (pending > 0)
            LogResuming(pending, _store.FilePath);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Maintain();
                if (!_connection.IsConnected && !(_courier.IsReady && _store.Count > 0))
                {
                    // Keep the gauges and the age bound current while the broker is away.
                    try
                    {
                        await _connection.WaitUntilConnectedAsync(stoppingToken).WaitAsync(MaintenanceInterval, stoppingToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        continue;
                    }
                }
                var sent = (_connection.IsConnected && await PublishStateAsync(stoppingToken).ConfigureAwait(false))
                         | (_courier.IsReady && await CarryStoredAsync(stoppingToken).ConfigureAwait(false));
                if (!sent)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    idle.CancelAfter(MaintenanceInterval);
                    try
                    {
                        await _wake.Reader.ReadAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        // Time for maintenance.
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            try
            {
                var left = _store.Count;
                if (left > 0)
                    LogKeptForNextStart(left, _store.FilePath);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // The engine failed to start and closed the outbox before this loop got going: nothing was stored.
            }
        }
    }

    /// <summary>
    /// While the broker is connected, gives what is stored when the engine stops (the <c>end</c> of every event
    /// still open, above all) and the last state of each camera up to <c>Mqtt:TimeoutSeconds</c> to go out now
    /// rather than at the next start.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (((_courier.IsReady && _store.Count > 0) || (_connection.IsConnected && HasStateToSend)) && _time.GetElapsedTime(started) < _drainTimeout
               && !cancellationToken.IsCancellationRequested)
        {
            _wake.Writer.TryWrite(true);
            await Task.Delay(DrainPollInterval, _time, CancellationToken.None).ConfigureAwait(false);
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private bool HasStateToSend
    {
        get
        {
            lock (_latestState)
                return _latestState.Count > 0 || _statesInFlight > 0;
        }
    }

    /// <returns>Whether anything was published.</returns>
    private async Task<bool> PublishStateAsync(CancellationToken cancellationToken)
    {
        MqttMessage[] states;
        lock (_latestState)
        {
            if (_latestState.Count == 0)
                return false;
            states = [.. _latestState.Values];
            _latestState.Clear();
            _statesInFlight = states.Length;
        }
        try
        {
            return await PublishStatesAsync(states, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_latestState)
                _statesInFlight = 0;
        }
    }

    private async Task<bool> PublishStatesAsync(MqttMessage[] states, CancellationToken cancellationToken)
    {
        for (var i = 0; i < states.Length; i++)
        {
            try
            {
                await _connection.PublishAsync(states[i], cancellationToken).ConfigureAwait(false);
                _metrics.MessagesPublished.WithLabels(states[i].Kind).Inc();
                LogPublished(states[i].Summary, states[i].Topic);
            }
            catch (MqttLinkDownException e)
            {
                // Put back what was not sent, unless something newer for the same topic came meanwhile.
                lock (_latestState)
                {
                    foreach (var state in states.AsSpan(i))
                        _latestState.TryAdd(state.Topic, state);
                }
                LogPublishDeferred(states[i].Kind, e.Message);
                return false;
            }
        }
        return true;
    }

    /// <returns>Whether anything left the outbox.</returns>
    private async Task<bool> CarryStoredAsync(CancellationToken cancellationToken)
    {
        var batch = _store.PeekOldest(BatchSize);
        foreach (var stored in batch)
        {
            var message = stored.Message;
            var carried = await _courier.CarryAsync(stored, cancellationToken).ConfigureAwait(false);
            if (carried.Outcome == CarriedOutcome.Deferred)
            {
                LogPublishDeferred(message.Kind, carried.Reason!);
                return false;
            }
            _store.Remove(stored.RowId);
            UpdateSizeGauges();
            if (carried.Outcome == CarriedOutcome.Dropped)
            {
                LogDropped(message.Summary, carried.Reason!);
                continue;
            }
            if (!_courier.DeliversToBroker)
                continue;
            StoredDelivery.Record(_metrics, _logger, message, message.CameraId ?? "", _time.GetUtcNow().UtcDateTime - stored.StoredAt);
        }
        if (batch.Count > 0)
            Maintain(force: true);
        return batch.Count > 0;
    }

    /// <summary>Evicts what is too old and refreshes the outbox gauges, at most once a second unless forced.</summary>
    private void Maintain(bool force = false)
    {
        var now = _time.GetTimestamp();
        if (!force && _lastMaintenance != 0 && _time.GetElapsedTime(_lastMaintenance, now) < MaintenanceInterval)
            return;
        _lastMaintenance = now;

        var utcNow = _time.GetUtcNow().UtcDateTime;
        var expired = _store.EvictOlderThan(utcNow - TimeSpan.FromHours(_options.MaxAgeHours));
        if (expired > 0)
        {
            _metrics.OutboxEvicted.WithLabels("age").Inc(expired);
            LogEvicted(expired, $"they are older than {_options.MaxAgeHours} h (Outbox:MaxAgeHours)");
        }
        // Both from the store's counters and one index lookup: as cheap with a million messages waiting as with none.
        var (_, oldest) = _store.Depth();
        UpdateSizeGauges();
        _metrics.OutboxOldestAge.Set(oldest is { } o ? Math.Max(0, (utcNow - o).TotalSeconds) : 0);
    }

    private void UpdateSizeGauges()
    {
        _metrics.OutboxDepth.Set(_store.Count);
        _metrics.OutboxBytes.Set(_store.Bytes);
    }

    /// <summary>How many durable messages wait, and the age of the oldest, for the node's status.</summary>
    public (long Pending, TimeSpan OldestAge) Backlog()
    {
        var (depth, oldest) = _store.Depth();
        return (depth, oldest is { } o ? _time.GetUtcNow().UtcDateTime - o : TimeSpan.Zero);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Summary} -> {Topic}")]
    private partial void LogPublished(string summary, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Kind} yet ({Reason}); it stays in the outbox")]
    private partial void LogPublishDeferred(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not delivered, and never will be: {Summary} ({Reason})")]
    private partial void LogDropped(string summary, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox evicted {Count} undelivered messages because {Why}")]
    private partial void LogEvicted(int count, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox refused message {Seq} of camera {CameraId}: its {Bytes} bytes alone exceed Outbox:MaxBytes ({MaxBytes}); it is lost, and its number is skipped")]
    private partial void LogRefused(long seq, string cameraId, long bytes, long maxBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Path} holds {Count} messages from before the restart; they go out first")]
    private partial void LogResuming(long count, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping with {Count} messages kept in the outbox {Path} for the next start")]
    private partial void LogKeptForNextStart(long count, string path);
}
