using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Alerts.Outbox;
using Surveillance.Cameras;
using Surveillance.Cameras.Inventory;
using Surveillance.Cameras.Placement;
using Surveillance.Ingest.Health;

namespace Surveillance.Cluster;

/// <summary>
/// This node's share of the cluster's cameras. Every check interval, and at once when the membership or the inventory
/// changes, it reads who owns what, stops the cameras it has lost (fenced: another node claimed them because this one
/// was declared dead or cut off), hands over those above its share, claims cameras that have no live owner as the plan
/// gives them to it, and runs exactly the cameras it holds. Orleans' membership is the fast signal of a node's death;
/// the epoch in the shared store makes a claim safe even when a node that is thought dead still runs. On SIGTERM the
/// node drains: it hands every camera over before it stops. If the shared store is unreachable nothing changes: every
/// camera keeps running where it runs.
/// </summary>
public sealed partial class CameraOwnership : BackgroundService, ICameraPlacement
{
    private readonly CameraDirectory _directory;
    private readonly CameraLeases _leases;
    private readonly NodeSession _session;
    private readonly ClusterMembership _membership;
    private readonly SqliteOutbox _localOutbox;
    private readonly CameraEpochs _epochs;
    private readonly string _storeDescription;
    private readonly ClusterOptions _options;
    private readonly ClusterMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<CameraOwnership> _logger;
    private readonly LoopWake _wake = new();
    private readonly SemaphoreSlim _round = new(1, 1);
    /// <summary>Cameras this node holds, with the epoch it holds each under.</summary>
    private readonly ConcurrentDictionary<string, long> _held = new(StringComparer.Ordinal);
    private IReadOnlyList<CameraRecord> _inventory = [];
    private Dictionary<string, CameraElsewhere> _elsewhere = new(StringComparer.Ordinal);
    private bool _draining;
    private bool _storeDown;
    /// <summary>Silos whose process was found gone (their session with the store closed), logged once each.</summary>
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);

    public CameraOwnership(CameraDirectory directory, CameraLeases leases, NodeSession session, ClusterMembership membership, SqliteOutbox localOutbox, CameraEpochs epochs, SharedStore store,
        IOptions<ClusterOptions> options, ClusterMetrics metrics, TimeProvider time, ILogger<CameraOwnership> logger)
    {
        _directory = directory;
        _leases = leases;
        _session = session;
        _membership = membership;
        _localOutbox = localOutbox;
        _epochs = epochs;
        _storeDescription = store.Description;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _metrics.Capacity.Set(_options.EffectiveCapacity);
    }

    public async Task PlaceAsync(IReadOnlyList<CameraRecord> inventory, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _inventory, inventory);
        // Settings changed on a camera held here apply at once; new cameras are claimed at the next round.
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _directory.ApplyAsync(inventory, cancellationToken, _held.ContainsKey).ConfigureAwait(false);
        }
        finally
        {
            _round.Release();
        }
        _wake.Set();
    }

    public bool IsShared => true;

    public CameraElsewhere? Elsewhere(string cameraId) =>
        !_held.ContainsKey(cameraId) && Volatile.Read(ref _elsewhere).TryGetValue(cameraId, out var elsewhere) ? elsewhere : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogJoined(_membership.LocalNodeId, _membership.LocalSilo, _options.EffectiveCapacity, _storeDescription);
        try
        {
            // Each start of a node is a new silo and a new row; rows of runs gone for a day go, so the table stays small.
            await _leases.ForgetNodesAsync(_membership.ActiveSilos(), stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SharedStore.IsUnreachable(e))
        {
            LogStoreUnreachable(e.Message);
        }
        using var membershipChanged = _membership.OnChange(() => _wake.Set());
        while (!stoppingToken.IsCancellationRequested)
        {
            await RoundAsync(stoppingToken).ConfigureAwait(false);
            if (!await _wake.WaitAsync(_options.CheckInterval, stoppingToken).ConfigureAwait(false))
                break;
        }
    }

    /// <summary>Drains: says it is leaving, hands every camera over (their ends reach the shared store), then lets the engine stop.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _draining = true;
        await _round.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_membership.DeclaredDead)
            {
                // Its cameras are the others' already: nothing to hand over, and nothing it says counts.
                _held.Clear();
                await _directory.ApplyAsync(Volatile.Read(ref _inventory), CancellationToken.None, _held.ContainsKey).ConfigureAwait(false);
                return;
            }
            var leaving = _held.Keys.ToList();
            LogDraining(leaving.Count);
            try
            {
                await _leases.HeartbeatAsync(0, draining: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (SharedStore.IsUnreachable(e))
            {
                LogStoreUnreachable(e.Message);
            }
            await HandOverAsync(leaving, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_draining)
                return;
            IReadOnlySet<string> active = _membership.ActiveSilos();
            _metrics.Members.Set(active.Count);
            await _session.EnsureHeldAsync(cancellationToken).ConfigureAwait(false);
            var nodes = await _leases.HeartbeatAsync(_options.EffectiveCapacity, draining: false, cancellationToken).ConfigureAwait(false);
            active = WithoutGone(active, nodes);
            var leases = (await _leases.ReadAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.CameraId, StringComparer.Ordinal);
            if (_storeDown)
            {
                _storeDown = false;
                LogStoreBack();
            }

            var fenced = FindFenced(leases);
            await RevokeFromDeadAsync(leases, active, cancellationToken).ConfigureAwait(false);
            var inventory = Volatile.Read(ref _inventory);
            var enabled = inventory.Where(r => r.Enabled).Select(r => r.Id).ToList();
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var lease in leases.Values)
            {
                if (lease.OwnerSilo is { } owner && active.Contains(owner) && (owner != _leases.Silo || _held.ContainsKey(lease.CameraId)))
                    owners[lease.CameraId] = owner;
            }
            var planned = nodes.Where(n => active.Contains(n.Silo)).Select(n => new PlannedNode(n.Silo, n.Capacity, n.Draining)).ToList();
            if (!planned.Any(n => n.Silo == _leases.Silo))
                planned.Add(new PlannedNode(_leases.Silo, _options.EffectiveCapacity, false));
            var plan = OwnershipPlan.Compute(enabled, owners, planned, _leases.Silo);

            // Cameras held here that left the inventory (or were disabled) go too, once their last messages are out.
            var enabledSet = enabled.ToHashSet(StringComparer.Ordinal);
            var leaving = plan.Releases.Concat(_held.Keys.Where(id => !enabledSet.Contains(id))).Distinct(StringComparer.Ordinal).ToList();
            if (fenced.Count > 0 || leaving.Count > 0)
                await HandOverAsync(leaving, cancellationToken).ConfigureAwait(false);

            foreach (var cameraId in plan.Claims)
            {
                if (await _leases.ClaimAsync(cameraId, active, cancellationToken).ConfigureAwait(false) is not { } claim)
                    continue;
                _localOutbox.ContinueSequence(cameraId, claim.Seq);
                _epochs.Hold(cameraId, claim.Epoch);
                _held[cameraId] = claim.Epoch;
                _metrics.OwnershipMoves.WithLabels("claimed").Inc();
                LogClaimed(cameraId, claim.Epoch, claim.PreviousNode ?? "no node", claim.Seq, claim.EventsHandedOver);
            }
            await _directory.ApplyAsync(inventory, cancellationToken, _held.ContainsKey).ConfigureAwait(false);
            await _leases.ReportAsync(Reports(), cancellationToken).ConfigureAwait(false);

            _metrics.CamerasOwned.Set(_held.Count);
            _metrics.CamerasUnowned.Set(plan.Unowned);
            Volatile.Write(ref _elsewhere, leases.Values.ToDictionary(l => l.CameraId, l => new CameraElsewhere(
                l.OwnerSilo is { } owner && active.Contains(owner) ? l.OwnerNode : null,
                l.OwnerSilo is { } o && active.Contains(o) ? l.State : "unowned", l.Grade, l.Fps, l.LastFrameAt), StringComparer.Ordinal));
        }
        catch (Exception e) when (SharedStore.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            _metrics.StoreErrors.WithLabels("ownership").Inc();
            if (!_storeDown)
            {
                _storeDown = true;
                LogStoreUnreachable(e.Message);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
        {
            // Not the store: a bug. The cameras keep running; the next round tries again.
            LogRoundFailed(e);
        }
        finally
        {
            _round.Release();
        }
    }

    /// <summary>
    /// The members whose process has not ended. A killed node is still a member until Orleans' probes have it voted dead,
    /// several probe periods later; its session with the store closed when it died, and its cameras need not wait for
    /// the verdict. Moving them is safe even if it did run on: the claim moves the epoch, which fences it.
    /// </summary>
    private IReadOnlySet<string> WithoutGone(IReadOnlySet<string> active, IReadOnlyList<NodeRecord> nodes)
    {
        var gone = nodes.Where(n => n.Gone && n.Silo != _leases.Silo && active.Contains(n.Silo)).ToList();
        foreach (var node in gone.Where(n => _gone.Add(n.Silo)))
            LogNodeGone(node.NodeId, node.Silo);
        _gone.IntersectWith(gone.Select(n => n.Silo));
        return gone.Count == 0 ? active : active.Except(gone.Select(n => n.Silo)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Cameras held here whose row names another owner or a later epoch: this node lost them while it was away.</summary>
    private List<string> FindFenced(Dictionary<string, CameraLease> leases)
    {
        var fenced = new List<string>();
        foreach (var (cameraId, epoch) in _held)
        {
            if (leases.TryGetValue(cameraId, out var lease) && lease.Epoch == epoch && lease.OwnerSilo == _leases.Silo)
                continue;
            _held.TryRemove(cameraId, out _);
            _epochs.Forget(cameraId);
            fenced.Add(cameraId);
            _metrics.FencedCameras.Inc();
            LogFencedCamera(cameraId, epoch, lease?.OwnerNode ?? "no node", lease?.Epoch ?? 0);
        }
        return fenced;
    }

    /// <summary>
    /// Moves the epoch of every camera whose owner is no longer a member, even when no node has room to run it: a node
    /// declared dead that still runs (frozen, cut off) must commit nothing more, whoever takes the camera and when.
    /// </summary>
    private async Task RevokeFromDeadAsync(Dictionary<string, CameraLease> leases, IReadOnlySet<string> active, CancellationToken cancellationToken)
    {
        foreach (var lease in leases.Values.ToList())
        {
            if (lease.OwnerSilo is not { } owner || active.Contains(owner) || owner == _leases.Silo)
                continue;
            if (await _leases.RevokeAsync(lease.CameraId, active, cancellationToken).ConfigureAwait(false) is not { } revoked)
                continue;
            leases[lease.CameraId] = lease with { OwnerSilo = null, OwnerNode = null, Epoch = revoked.Epoch, Seq = revoked.Seq, State = "unowned" };
            LogRevoked(lease.CameraId, lease.OwnerNode ?? owner, revoked.Epoch, revoked.EventsHandedOver);
        }
    }

    /// <summary>Stops the cameras (their events end with <c>handover</c>), lets their last messages reach the shared store, and releases them.</summary>
    private async Task HandOverAsync(IReadOnlyList<string> cameras, CancellationToken cancellationToken)
    {
        foreach (var cameraId in cameras)
            _held.TryRemove(cameraId, out _);
        await _directory.ApplyAsync(Volatile.Read(ref _inventory), cancellationToken, _held.ContainsKey).ConfigureAwait(false);
        if (cameras.Count == 0)
            return;
        // The ends go through the alert stage into the local outbox and on to the shared store. Should the wait run out,
        // nothing is lost: the camera's next owner ends whatever the store still has open.
        var started = _time.GetTimestamp();
        do
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, CancellationToken.None).ConfigureAwait(false);
        while (cameras.Any(c => _localOutbox.CountFor(c) > 0) && _time.GetElapsedTime(started) < _options.HandoverTimeout);

        foreach (var cameraId in cameras)
        {
            if (_epochs.EpochOf(cameraId) is not { } epoch)
                continue;
            try
            {
                if (await _leases.ReleaseAsync(cameraId, epoch, CancellationToken.None).ConfigureAwait(false))
                {
                    _metrics.OwnershipMoves.WithLabels("released").Inc();
                    LogReleased(cameraId, epoch);
                }
            }
            catch (Exception e) when (SharedStore.IsUnreachable(e))
            {
                // Still held in the store: once this node is gone from the membership, the camera is claimed anyway.
                LogStoreUnreachable(e.Message);
                break;
            }
        }
    }

    private List<CameraReport> Reports()
    {
        var reports = new List<CameraReport>();
        foreach (var pipeline in _directory.Pipelines)
        {
            if (!_held.TryGetValue(pipeline.Id, out var epoch))
                continue;
            var health = pipeline.Health.Snapshot();
            reports.Add(new CameraReport(pipeline.Id, epoch, Names.Of(health.State), Names.Of(health.Grade), health.Fps, health.LastFrameAt));
        }
        return reports;
    }

    public override void Dispose()
    {
        _round.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} is in the cluster as silo {Silo}, with room for {Capacity} cameras; shared store at {Store}")]
    private partial void LogJoined(string nodeId, string silo, int capacity, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed camera {CameraId} under epoch {Epoch} from {Previous}; its seq goes on after {Seq}, {Ended} event(s) left open there ended with handover")]
    private partial void LogClaimed(string cameraId, long epoch, string previous, long seq, int ended);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId} taken from {Owner}, which is no longer a member of the cluster (epoch now {Epoch}); {Ended} event(s) left open there ended with handover")]
    private partial void LogRevoked(string cameraId, string owner, long epoch, int ended);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} (silo {Silo}) has gone: its session with the shared store closed and it sends no heartbeat. Its cameras move now, before the cluster votes it dead")]
    private partial void LogNodeGone(string nodeId, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handed over camera {CameraId} (epoch {Epoch}): another node takes it")]
    private partial void LogReleased(string cameraId, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fenced: camera {CameraId}, held here under epoch {Epoch}, now belongs to {Owner} (epoch {NewEpoch}); this node was declared dead or cut off. Its pipeline stops and nothing more of it is published from here")]
    private partial void LogFencedCamera(string cameraId, long epoch, string owner, long newEpoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: handing over {Count} camera(s) before this node stops")]
    private partial void LogDraining(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared store is unreachable ({Reason}): every camera keeps running where it runs, and no camera moves until it is back")]
    private partial void LogStoreUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A round of camera ownership failed; every camera keeps running, and the next round tries again")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The shared store is reachable again")]
    private partial void LogStoreBack();
}
