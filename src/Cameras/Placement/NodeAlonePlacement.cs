using Surveillance.Cameras.Inventory;

namespace Surveillance.Cameras.Placement;

/// <summary>A node alone runs every enabled camera of the inventory.</summary>
public sealed class NodeAlonePlacement(CameraDirectory directory) : ICameraPlacement
{
    public async Task PlaceAsync(IReadOnlyList<CameraRecord> inventory, CancellationToken cancellationToken) =>
        await directory.ApplyAsync(inventory, cancellationToken).ConfigureAwait(false);

    public bool IsShared => false;

    public CameraElsewhere? Elsewhere(string cameraId) => null;
}
