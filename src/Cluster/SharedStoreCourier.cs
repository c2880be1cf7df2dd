using Microsoft.Extensions.Logging;
using Surveillance.Alerts.Outbox;

namespace Surveillance.Cluster;

/// <summary>
/// The outbox's way out on a node of a cluster: each stored message is committed to the shared store, fenced by its
/// camera's epoch, and published from there (see <see cref="SharedOutboxPublisher"/>). While the store is unreachable
/// messages stay in the local outbox; a message the store refuses (its camera has moved on) is dropped and counted.
/// </summary>
public sealed partial class SharedStoreCourier(SharedOutbox outbox, SharedOutboxPublisher publisher, ClusterMetrics metrics, TimeProvider time,
    ILogger<SharedStoreCourier> logger) : IOutboxCourier
{
    /// <summary>After a failure, how long to leave the store alone.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private long _failedAt;

    public bool DeliversToBroker => false;

    public bool IsReady => _failedAt == 0 || time.GetElapsedTime(Volatile.Read(ref _failedAt)) >= RetryAfter;

    public async Task<Carried> CarryAsync(StoredMessage stored, CancellationToken cancellationToken)
    {
        try
        {
            var shipped = await outbox.ShipAsync(stored, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _failedAt, 0);
            if (shipped == Shipped.Fenced)
            {
                metrics.FencedPublishes.Inc();
                LogFenced(stored.Message.CameraId!, stored.Epoch);
                return Carried.Dropped($"camera {stored.Message.CameraId} has moved to another node since this node made it (fenced)");
            }
            publisher.Wake();
            return Carried.Delivered;
        }
        catch (Exception e) when (SharedStore.IsUnreachable(e))
        {
            Volatile.Write(ref _failedAt, time.GetTimestamp());
            metrics.StoreErrors.WithLabels("ship").Inc();
            return Carried.Deferred($"the shared store is unreachable: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fenced: a message of camera {CameraId}, made under epoch {Epoch}, was refused by the shared store; the camera has another owner now, and this node publishes nothing more for it")]
    private partial void LogFenced(string cameraId, long? epoch);
}
