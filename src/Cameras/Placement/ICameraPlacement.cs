using Surveillance.Cameras.Inventory;

namespace Surveillance.Cameras.Placement;

/// <summary>
/// Which of the inventory's enabled cameras this node runs: all of them on a node alone, its share on a node of a
/// cluster (see <c>Surveillance.Cluster</c>).
/// </summary>
public interface ICameraPlacement
{
    /// <summary>Takes a new inventory and brings the cameras this node runs in line with it.</summary>
    Task PlaceAsync(IReadOnlyList<CameraRecord> inventory, CancellationToken cancellationToken);

    /// <summary>Whether cameras are shared with other nodes (a cluster): then a camera that no node runs names no node.</summary>
    bool IsShared { get; }

    /// <summary>Where a camera is that this node does not run; null when that is not known (or on a node alone).</summary>
    CameraElsewhere? Elsewhere(string cameraId);
}

/// <summary>A camera run by another node (<see cref="NodeId"/>), as that node last reported it; no node at all when <see cref="NodeId"/> is null.</summary>
public sealed record CameraElsewhere(string? NodeId, string State, string Grade, double Fps, DateTime? LastFrameAt);
