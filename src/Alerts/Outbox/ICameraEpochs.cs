namespace Surveillance.Alerts.Outbox;

/// <summary>
/// The ownership epoch under which this node holds a camera, in a cluster: stored with each of the camera's messages,
/// so that the shared store can refuse those made before the camera moved on (a fenced node's).
/// </summary>
public interface ICameraEpochs
{
    /// <summary>Null on a node alone, or for a camera this node does not hold.</summary>
    long? EpochOf(string cameraId);
}

/// <summary>A node alone: no epochs.</summary>
public sealed class NoCameraEpochs : ICameraEpochs
{
    public long? EpochOf(string cameraId) => null;
}
