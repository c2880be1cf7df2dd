using Surveillance.Cluster;
using Surveillance.Ownership.Node;

namespace Surveillance.Ownership.Run;

/// <summary>The orchestrator's options; every default is the engine's where the engine has one.</summary>
public sealed record RunSettings(
    int Nodes,
    int Cameras,
    int Kills,
    TimeSpan CheckInterval,
    TimeSpan CallTimeout,
    ClusterOptions Cluster,
    string Placement,
    string Directory,
    bool KeeperOnce,
    TimeSpan Freeze,
    TimeSpan SurvivorWindow,
    TimeSpan JoinWindow,
    TimeSpan RestartBound,
    string Output)
{
    public const string DefaultPlacement = Placements.EvenSpread;

    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "--keeper-once" };

    public static RunSettings Parse(IEnumerable<string> args)
    {
        var a = new Arguments(args, Flags);
        var defaults = new ClusterOptions();
        var settings = new RunSettings(
            a.Number("--nodes", 3, 2, 20),
            a.Number("--cameras", 12, 1, 1000),
            a.Number("--kills", 5, 0, 100),
            a.Seconds("--check-interval", defaults.CheckInterval, 0.05, 60),
            a.Seconds("--call-timeout", TimeSpan.FromSeconds(2), 0.1, 60),
            new ClusterOptions
            {
                ProbeTimeout = a.Seconds("--probe-timeout", defaults.ProbeTimeout, 0.1, 60),
                MissedProbesLimit = a.Number("--missed-probes", defaults.MissedProbesLimit, 1, 100),
            },
            a.Text("--placement", DefaultPlacement),
            a.Text("--directory", "default"),
            a.Flag("--keeper-once"),
            a.Seconds("--freeze", TimeSpan.FromSeconds(20), 1, 300),
            a.Seconds("--survivor-window", TimeSpan.FromSeconds(20), 1, 300),
            a.Seconds("--join-window", TimeSpan.FromSeconds(30), 1, 300),
            a.Seconds("--restart-bound", TimeSpan.FromSeconds(45), 1, 600),
            a.Text("--output", "benchmarks/results/cluster"));
        a.RejectUnknown();
        if (!Placements.Names.Contains(settings.Placement))
            throw new ArgumentException($"--placement: '{settings.Placement}' is not one of {string.Join(", ", Placements.Names)}");
        if (settings.Directory is not ("default" or "distributed"))
            throw new ArgumentException($"--directory: '{settings.Directory}' is not 'default' or 'distributed'");
        return settings;
    }

    public NodeSettings ForNode(string name, string redis, string clusterId) =>
        new(name, redis, clusterId, FreePort.Next(), Cameras, CheckInterval, CallTimeout, Cluster, Placement, Directory, KeeperOnce);
}
