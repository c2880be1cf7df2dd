using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Cluster;

/// <summary>
/// Publishes the shared outbox's messages that are this node's to publish (its cameras', and those of cameras no live
/// node owns, a dead node's among them) to the broker, in order, at least once; deletes each once the broker has it.
/// </summary>
public sealed partial class SharedOutboxPublisher(
    SharedOutbox outbox,
    ClusterMembership membership,
    MqttConnection connection,
    AlertsMetrics alertsMetrics,
    ClusterMetrics metrics,
    TimeProvider time,
    ILogger<SharedOutboxPublisher> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly LoopWake _wake = new();
    private long _lastDepth;
    private bool _storeDown;

    /// <summary>Something was committed: look now rather than at the next poll.</summary>
    public void Wake() => _wake.Set();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                // A node the cluster has declared dead publishes nothing, not even what it committed in time.
                var active = membership.ActiveSilos();
                if (connection.IsConnected && active.Contains(membership.LocalSilo) && !membership.DeclaredDead)
                    published = await outbox.PublishAsync(active, PublishAsync, BatchSize, stoppingToken).ConfigureAwait(false);
                await RefreshDepthAsync(stoppingToken).ConfigureAwait(false);
                if (_storeDown)
                {
                    _storeDown = false;
                    LogStoreBack();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (SharedStore.IsUnreachable(e))
            {
                metrics.StoreErrors.WithLabels("publish").Inc();
                if (!_storeDown)
                {
                    _storeDown = true;
                    LogStoreUnreachable(e.Message);
                }
            }
            if (published == BatchSize)
                continue;
            if (!await _wake.WaitAsync(PollInterval, stoppingToken).ConfigureAwait(false))
                break;
        }
    }

    /// <summary>Gives what this node may publish from the shared outbox up to the MQTT timeout to go out before the link closes.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        try
        {
            while (connection.IsConnected && !membership.DeclaredDead && time.GetElapsedTime(started) < DrainTimeout
                   && await outbox.PublishAsync(membership.ActiveSilos(), PublishAsync, BatchSize, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (SharedStore.IsUnreachable(e) || e is OperationCanceledException)
        {
            LogStoreUnreachable(e.Message);
        }
    }

    private async Task<bool> PublishAsync(SharedMessage shared)
    {
        var message = shared.Message;
        try
        {
            await connection.PublishAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MqttLinkDownException e)
        {
            LogDeferred(message.Kind, e.Message);
            return false;
        }
        StoredDelivery.Record(alertsMetrics, logger, message, shared.CameraId, time.GetUtcNow().UtcDateTime - shared.StoredAt);
        return true;
    }

    private async Task RefreshDepthAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_lastDepth != 0 && time.GetElapsedTime(_lastDepth, now) < TimeSpan.FromSeconds(5))
            return;
        _lastDepth = now;
        var (depth, _) = await outbox.DepthAsync(cancellationToken).ConfigureAwait(false);
        metrics.SharedOutboxDepth.Set(depth);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Kind} from the shared outbox yet ({Reason}); it stays there")]
    private partial void LogDeferred(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared store is unreachable ({Reason}); what it holds waits there, and this node retries")]
    private partial void LogStoreUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The shared outbox is reachable again")]
    private partial void LogStoreBack();
}
