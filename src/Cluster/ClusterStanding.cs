namespace Surveillance.Cluster;

/// <summary>
/// Whether the cluster has declared this node dead: set by <see cref="DeclaredDeadHandler"/>, read by the loops that
/// must then publish nothing, and by the host for its exit code after the host is gone (so it depends on nothing).
/// </summary>
public sealed class ClusterStanding
{
    private volatile bool _declaredDead;

    public bool DeclaredDead => _declaredDead;

    internal void DeclareDead() => _declaredDead = true;
}
