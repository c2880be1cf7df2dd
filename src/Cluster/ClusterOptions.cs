namespace Surveillance.Cluster;

/// <summary>
/// The cluster, under <c>Cluster</c>. Without <see cref="Redis"/> and <see cref="Postgres"/> the engine runs alone and
/// needs neither. With them, nodes that share a <see cref="ClusterId"/> form an Orleans cluster (membership in Redis)
/// and share the cameras of one inventory, each camera run by exactly one node (ownership, epochs and the alerts on
/// their way in PostgreSQL).
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Redis for Orleans' membership table, as a StackExchange.Redis configuration string (<c>127.0.0.1:6379</c>).</summary>
    public string? Redis { get; set; }

    /// <summary>PostgreSQL for camera ownership and the shared outbox, as an Npgsql connection string.</summary>
    public string? Postgres { get; set; }

    /// <summary>Nodes with the same id form one cluster; several clusters can share the stores.</summary>
    public string ClusterId { get; set; } = "surveillance";

    /// <summary>The address other nodes reach this one at (silo-to-silo traffic).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The port of silo-to-silo traffic; each node on one machine needs its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Cameras this node may run; 0: derived from the cores and <see cref="CoresPerCamera"/>.</summary>
    public int Capacity { get; set; }

    /// <summary>
    /// What one camera costs, in cores, for the derived capacity: by default a 576p 10 fps camera detected at 5 fps with
    /// the motion gate letting a tenth through (docs/performance.md, capacity).
    /// </summary>
    public double CoresPerCamera { get; set; } = 0.13;

    /// <summary>How often a node reads ownership, claims and hands over cameras, and reports its cameras' state.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Orleans' probe timeout: a node that answers no probe for <see cref="MissedProbesLimit"/> of these in a row is
    /// voted dead. Shorter finds a dead node sooner and risks declaring a node dead that is only slow.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes that make a node suspect a peer (Orleans' <c>NumMissedProbesLimit</c>).</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>How long a node leaving (SIGTERM) waits for what its cameras stored to reach the shared store before it lets them go.</summary>
    public TimeSpan HandoverTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis) || !string.IsNullOrWhiteSpace(Postgres);

    public int EffectiveCapacity => Capacity > 0 ? Capacity : Math.Max(1, (int)Math.Floor(Environment.ProcessorCount / CoresPerCamera));
}
