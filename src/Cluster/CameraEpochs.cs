using System.Collections.Concurrent;
using Surveillance.Alerts.Outbox;

namespace Surveillance.Cluster;

/// <summary>
/// The last epoch under which this node held each camera, kept with every message the camera makes here. A camera
/// handed over keeps its entry, so that its last ends still commit; a fenced one loses it.
/// </summary>
public sealed class CameraEpochs : ICameraEpochs
{
    private readonly ConcurrentDictionary<string, long> _epochs = new(StringComparer.Ordinal);

    public long? EpochOf(string cameraId) => _epochs.TryGetValue(cameraId, out var epoch) ? epoch : null;

    internal void Hold(string cameraId, long epoch) => _epochs[cameraId] = epoch;

    internal void Forget(string cameraId) => _epochs.TryRemove(cameraId, out _);
}
