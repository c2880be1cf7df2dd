using Orleans.Configuration;

namespace Surveillance.Cluster;

/// <summary>
/// Orleans' failure detection as the engine sets it, in one place for the engine and for the harness that measures
/// other ownership designs under the same settings.
/// </summary>
public static class FailureDetection
{
    /// <summary>
    /// Seconds, not Orleans' tens of seconds: a node that misses <c>MissedProbesLimit</c> probes of <c>ProbeTimeout</c>
    /// each is voted dead. The connection liveness check is off: it keeps a frozen node (SIGSTOP, a VM paused) alive for
    /// another <c>MaxProbeTimeout × NumMissedProbesLimit</c> after its last message, while its cameras see nothing.
    /// </summary>
    public static void Configure(ClusterMembershipOptions membership, ClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(cluster);
        membership.ProbeTimeout = cluster.ProbeTimeout;
        membership.MinProbeTimeout = cluster.ProbeTimeout / 2;
        membership.MaxProbeTimeout = cluster.ProbeTimeout;
        membership.NumMissedProbesLimit = cluster.MissedProbesLimit;
        membership.EnableConnectionLivenessCheck = false;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        membership.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(20);
    }
}
