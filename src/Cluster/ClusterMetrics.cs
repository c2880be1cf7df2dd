using Prometheus;

namespace Surveillance.Cluster;

/// <summary>The node's part in the cluster, for Prometheus; one instance per engine.</summary>
public sealed class ClusterMetrics
{
    public ClusterMetrics(IMetricFactory factory)
    {
        CamerasOwned = factory.CreateGauge("surveillance_cluster_cameras_owned", "Cameras this node owns and runs.");
        CamerasUnowned = factory.CreateGauge("surveillance_cluster_cameras_unowned",
            "Enabled cameras of the inventory that no node runs, as this node sees the cluster: demand above the cluster's capacity, or cameras between owners.");
        Capacity = factory.CreateGauge("surveillance_cluster_capacity", "Cameras this node may run (Cluster:Capacity, or derived from its cores).");
        Members = factory.CreateGauge("surveillance_cluster_members", "Active nodes of the cluster, as this node sees them.");
        OwnershipMoves = factory.CreateCounter("surveillance_cluster_ownership_moves_total",
            "Cameras this node took over or handed over, by direction: claimed (from a dead or leaving node, or never owned) or released.",
            new CounterConfiguration { LabelNames = ["direction"] });
        FencedPublishes = factory.CreateCounter("surveillance_cluster_fenced_publishes_total",
            "Messages this node made for a camera it no longer owned, refused by the shared store and never published.");
        FencedCameras = factory.CreateCounter("surveillance_cluster_fenced_cameras_total",
            "Cameras this node found owned by another node while it ran them (it had been declared dead or was cut off), and stopped.");
        StoreErrors = factory.CreateCounter("surveillance_cluster_store_errors_total",
            "Failed operations on the shared PostgreSQL store, by operation; the node keeps its cameras and retries.",
            new CounterConfiguration { LabelNames = ["operation"] });
        SharedOutboxDepth = factory.CreateGauge("surveillance_cluster_outbox_depth", "Messages in the cluster's shared outbox, waiting for the broker.");
    }

    public Gauge CamerasOwned { get; }

    public Gauge CamerasUnowned { get; }

    public Gauge Capacity { get; }

    public Gauge Members { get; }

    public Counter OwnershipMoves { get; }

    public Counter FencedPublishes { get; }

    public Counter FencedCameras { get; }

    public Counter StoreErrors { get; }

    public Gauge SharedOutboxDepth { get; }
}
