using System.Text.Json;
using System.Text.Json.Nodes;

namespace Surveillance.Cameras.Control;

/// <summary>
/// What the node's control API may see and change of its cameras. Writes go through the same validation as the
/// inventory file and are written back to it, so that they survive a restart.
/// </summary>
public interface ICameraControl
{
    /// <summary>Every camera of the inventory, running or not, ordered by id.</summary>
    IReadOnlyList<CameraView> List();

    /// <summary>One camera, or null when the inventory has no camera with that id.</summary>
    CameraView? Find(string id);

    /// <summary>The camera's settings as an inventory record (the keys of a file record), with every credential redacted; null when unknown.</summary>
    JsonObject? Settings(string id);

    /// <summary>Adds the camera or replaces its settings. <paramref name="record"/> is a JSON object with the keys of a file record.</summary>
    Task<CameraWrite> PutAsync(string id, JsonElement record, CancellationToken cancellationToken);

    Task<CameraWrite> DeleteAsync(string id, CancellationToken cancellationToken);

    Task<CameraWrite> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken);

    /// <summary>The camera's next decoded frame as a JPEG; null when the camera is unknown, not running, or delivers no frame within a few seconds.</summary>
    Task<byte[]?> LatestFrameJpegAsync(string id, CancellationToken cancellationToken);
}
