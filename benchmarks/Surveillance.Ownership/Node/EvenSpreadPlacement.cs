using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Surveillance.Ownership.Node;

/// <summary>
/// Cameras dealt over the live silos in turn: camera <c>i</c> to the <c>i mod n</c>-th silo by address. None of
/// Orleans' own strategies spreads 12 cameras evenly over 3 nodes (their first activations land 2/5/5, 6/3/3, 4/3/5
/// and so on), which would make a kill's figures depend on the luck of the deal. It decides only where a camera is
/// activated; like every placement it moves nothing already active.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class EvenSpreadPlacement : PlacementStrategy;

public sealed class EvenSpreadPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        var key = target.GrainIdentity.Key.ToString();
        var index = CameraIds.IndexOf(key) ?? (int)((uint)StringComparer.Ordinal.GetHashCode(key) % 1024);
        return Task.FromResult(silos[index % silos.Length]);
    }
}
