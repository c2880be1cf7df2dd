using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Mqtt;
using Surveillance.Cameras.Inventory;

namespace Surveillance.Cameras;

/// <summary>
/// The cameras this node runs, one <see cref="CameraPipeline"/> each, kept in step with the inventory: a camera
/// added starts, one removed or disabled stops, one whose settings changed is restarted, and every other camera
/// keeps its decoder, its tracks and its open events. Also the node's one-second tick that keeps each camera's
/// status current. Changes are applied one at a time.
/// </summary>
public sealed partial class CameraDirectory : BackgroundService
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly CameraNode _node;
    private readonly ILogger<CameraDirectory> _logger;
    private readonly ConcurrentDictionary<string, CameraPipeline> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changing = new(1, 1);
    private IReadOnlyList<CameraRecord> _inventory = [];
    private volatile bool _republishAll;

    public CameraDirectory(CameraNode node, MqttConnection connection, ILogger<CameraDirectory> logger)
    {
        _node = node;
        _logger = logger;
        // Retained state on the broker may be gone (a broker restarted without persistence): say it again.
        connection.OnConnected(_ =>
        {
            _republishAll = true;
            return Task.CompletedTask;
        });
    }

    /// <summary>Every camera of the inventory, enabled or not, as last applied.</summary>
    public IReadOnlyList<CameraRecord> Inventory => Volatile.Read(ref _inventory);

    /// <summary>The running pipelines (enabled cameras).</summary>
    public ICollection<CameraPipeline> Pipelines => _running.Values;

    public CameraPipeline? Find(string id) => _running.TryGetValue(id, out var pipeline) ? pipeline : null;

    /// <summary>
    /// Brings the running cameras in line with <paramref name="inventory"/>: stops those that left it or are
    /// disabled, restarts those whose settings changed, starts the new ones. Cameras that did not change are not touched.
    /// </summary>
    /// <param name="runsHere">In a cluster, which enabled cameras are this node's; one that is not stops with <c>handover</c>.</param>
    public async Task<InventoryChange> ApplyAsync(IReadOnlyList<CameraRecord> inventory, CancellationToken cancellationToken,
        Func<string, bool>? runsHere = null)
    {
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var enabled = inventory.Where(r => r.Enabled).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var wanted = inventory.Where(r => r.Enabled && (runsHere?.Invoke(r.Id) ?? true)).ToDictionary(r => r.Id, StringComparer.Ordinal);
            var known = inventory.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var stops = new List<(CameraPipeline Pipeline, EventEndReason Reason)>();
            var starts = new List<CameraRecord>();
            foreach (var (id, pipeline) in _running)
            {
                if (!wanted.TryGetValue(id, out var record))
                    stops.Add((pipeline, enabled.Contains(id) ? EventEndReason.Handover
                        : known.Contains(id) ? EventEndReason.Disabled : EventEndReason.Removed));
                else if (record.Fingerprint != pipeline.Record.Fingerprint)
                {
                    stops.Add((pipeline, EventEndReason.Reconfigured));
                    starts.Add(record);
                }
            }
            starts.AddRange(wanted.Values.Where(r => !_running.ContainsKey(r.Id)));

            await Task.WhenAll(stops.Select(async stop =>
            {
                _running.TryRemove(stop.Pipeline.Id, out _);
                await stop.Pipeline.StopAsync(stop.Reason).ConfigureAwait(false);
                await stop.Pipeline.DisposeAsync().ConfigureAwait(false);
            })).ConfigureAwait(false);

            var failed = new List<string>();
            foreach (var record in starts)
            {
                try
                {
                    var pipeline = new CameraPipeline(record, _node);
                    _running[record.Id] = pipeline;
                    pipeline.Start();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Validated settings that still cannot make a pipeline (a calibration that fits no plane): this camera only.
                    failed.Add(record.Id);
                    LogStartFailed(e, record.Id);
                }
            }
            Volatile.Write(ref _inventory, inventory);
            var change = new InventoryChange(
                Started: starts.Count(r => !failed.Contains(r.Id)) - stops.Count(s => s.Reason == EventEndReason.Reconfigured),
                Stopped: stops.Count(s => s.Reason != EventEndReason.Reconfigured),
                Restarted: stops.Count(s => s.Reason == EventEndReason.Reconfigured),
                Failed: failed.Count);
            if (change.Started + change.Stopped + change.Restarted + change.Failed > 0)
                LogApplied(change.Started, change.Stopped, change.Restarted, change.Failed, _running.Count, inventory.Count);
            return change;
        }
        finally
        {
            _changing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TickInterval, _node.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var all = _republishAll;
                _republishAll = false;
                foreach (var pipeline in _running.Values)
                    await pipeline.TickAsync(all, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops every camera (their open events end with <c>shutdown</c>), all at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _changing.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var pipelines = _running.Values.ToList();
            _running.Clear();
            await Task.WhenAll(pipelines.Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
        finally
        {
            _changing.Release();
        }
    }

    public override void Dispose()
    {
        _changing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Cameras: {Started} started, {Stopped} stopped, {Restarted} restarted with new settings, {Failed} failed to start; {Running} running of {Total} in the inventory")]
    private partial void LogApplied(int started, int stopped, int restarted, int failed, int running, int total);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId} could not be started; the other cameras are not affected")]
    private partial void LogStartFailed(Exception exception, string cameraId);
}
