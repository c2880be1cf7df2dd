using System.Globalization;
using Surveillance.Cluster;

namespace Surveillance.Ownership.Node;

/// <summary>What the orchestrator tells a node: its name, where membership is, and the keeper's and Orleans' settings.</summary>
public sealed record NodeSettings(
    string Name,
    string Redis,
    string ClusterId,
    int SiloPort,
    int Cameras,
    TimeSpan CheckInterval,
    TimeSpan CallTimeout,
    ClusterOptions Cluster,
    string Placement,
    string Directory,
    bool KeeperOnce)
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "--keeper-once" };

    public static NodeSettings Parse(IEnumerable<string> args)
    {
        var a = new Arguments(args, Flags);
        var defaults = new ClusterOptions();
        var settings = new NodeSettings(
            a.Text("--name", ""),
            a.Text("--redis", ""),
            a.Text("--cluster-id", ""),
            a.Number("--silo-port", 0, 1, 65535),
            a.Number("--cameras", 12, 1, 1000),
            a.Seconds("--check-interval", defaults.CheckInterval, 0.05, 60),
            a.Seconds("--call-timeout", TimeSpan.FromSeconds(2), 0.1, 60),
            new ClusterOptions
            {
                ProbeTimeout = a.Seconds("--probe-timeout", defaults.ProbeTimeout, 0.1, 60),
                MissedProbesLimit = a.Number("--missed-probes", defaults.MissedProbesLimit, 1, 100),
            },
            a.Text("--placement", Placements.OrleansDefault),
            a.Text("--directory", "default"),
            a.Flag("--keeper-once"));
        a.RejectUnknown();
        if (settings.Name.Length == 0 || settings.Redis.Length == 0 || settings.ClusterId.Length == 0 || settings.SiloPort == 0)
            throw new ArgumentException("node: --name, --redis, --cluster-id and --silo-port are required");
        return settings;
    }

    /// <summary>The arguments that make <see cref="Parse"/> return these settings, for the orchestrator to start a node with.</summary>
    public IReadOnlyList<string> ToArguments()
    {
        static string S(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        List<string> args =
        [
            "node", "--name", Name, "--redis", Redis, "--cluster-id", ClusterId,
            "--silo-port", SiloPort.ToString(CultureInfo.InvariantCulture),
            "--cameras", Cameras.ToString(CultureInfo.InvariantCulture),
            "--check-interval", S(CheckInterval), "--call-timeout", S(CallTimeout),
            "--probe-timeout", S(Cluster.ProbeTimeout),
            "--missed-probes", Cluster.MissedProbesLimit.ToString(CultureInfo.InvariantCulture),
            "--placement", Placement, "--directory", Directory,
        ];
        if (KeeperOnce)
            args.Add("--keeper-once");
        return args;
    }
}
