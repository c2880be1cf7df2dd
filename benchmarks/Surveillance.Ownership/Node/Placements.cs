using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Surveillance.Ownership.Node;

/// <summary>
/// The placement strategy a camera's first call uses to choose its node. Orleans' own default is left alone unless
/// another is named: the default is what the other nodes resolve too, so every node must be given the same.
/// </summary>
public static class Placements
{
    public const string OrleansDefault = "orleans-default";

    public const string EvenSpread = "even-spread";

    public static readonly IReadOnlyList<string> Names = [EvenSpread, OrleansDefault, "random", "prefer-local", "hash", "activation-count", "resource-optimized"];

    public static void Apply(IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (name == EvenSpread)
            services.AddPlacementDirector<EvenSpreadPlacement, EvenSpreadPlacementDirector>();
        PlacementStrategy? strategy = name switch
        {
            OrleansDefault => null,
            EvenSpread => new EvenSpreadPlacement(),
            "random" => new RandomPlacement(),
            "prefer-local" => new PreferLocalPlacement(),
            "hash" => new HashBasedPlacement(),
            "activation-count" => new ActivationCountBasedPlacement(),
            "resource-optimized" => new ResourceOptimizedPlacement(),
            _ => throw new ArgumentException($"--placement: '{name}' is not one of {string.Join(", ", Names)}"),
        };
        if (strategy is not null)
            services.AddSingleton(strategy);
    }
}
