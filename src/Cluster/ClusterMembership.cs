using Orleans.Runtime;

namespace Surveillance.Cluster;

/// <summary>
/// The cluster's members as Orleans' membership sees them: the fast signal of a node's death (probes between silos,
/// votes, gossip), with each silo named by its node id. A silo address names one run of a node (ip:port@generation),
/// so a restarted node is a new member and its old run's cameras are free.
/// </summary>
public sealed class ClusterMembership(IClusterMembershipService membership, ILocalSiloDetails local, ClusterStanding standing)
{
    public string LocalSilo { get; } = local.SiloAddress.ToParsableString();

    public string LocalNodeId { get; } = local.Name;

    /// <summary>Whether Orleans has told this node that the cluster declared it dead.</summary>
    public bool DeclaredDead => standing.DeclaredDead;

    /// <summary>The silos whose status is <c>Active</c> (the membership also lists dead runs of earlier generations).</summary>
    public IReadOnlySet<string> ActiveSilos()
    {
        var active = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active)
                active.Add(member.SiloAddress.ToParsableString());
        }
        return active;
    }

    /// <summary>Calls <paramref name="changed"/> on every new version of the membership, until disposed.</summary>
    public IDisposable OnChange(Action changed)
    {
        var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            var last = MembershipVersion.MinValue;
            try
            {
                await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stop.Token).ConfigureAwait(false))
                {
                    // The stream repeats a version at each refresh of the table.
                    if (snapshot.Version == last)
                        continue;
                    last = snapshot.Version;
                    changed();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });
        return new Subscription(stop);
    }

    private sealed class Subscription(CancellationTokenSource stop) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }
}
