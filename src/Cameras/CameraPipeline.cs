using Microsoft.Extensions.Logging;
using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Analytics.Snapshots;
using Surveillance.Cameras.Alerting;
using Surveillance.Cameras.Analysis;
using Surveillance.Cameras.Detectors;
using Surveillance.Cameras.Inventory;
using Surveillance.Cameras.Location;
using Surveillance.Cameras.Status;
using Surveillance.Ingest;
using Surveillance.Ingest.Health;

namespace Surveillance.Cameras;

/// <summary>
/// One camera, from its stream to its events. It owns, for that camera: the supervised decoder, its place in the
/// node's detector scheduler, the analysis (motion gate, filters, tracker, rules, events, snapshot frames), the
/// locator that geo-tags its alerts, its status on the broker and its metric children. A frame's trip:
/// decoder → <see cref="FrameSlot{TCamera}"/> → a detector → <see cref="CameraAnalysis"/> → the alert stage.
/// Starts and stops on its own: stopping ends its open events, stops its ffmpeg and gives back its place.
/// </summary>
public sealed partial class CameraPipeline : IAsyncDisposable
{
    /// <summary>Ends taken from the book must get out even while stopping, so their write has its own time limit.</summary>
    private static readonly TimeSpan EndsWriteTimeout = TimeSpan.FromSeconds(5);

    private readonly CameraNode _node;
    private readonly ILogger _logger;
    private readonly StreamSupervisor _supervisor;
    private readonly FrameSlot<CameraPipeline> _slot;
    private readonly CameraStatus _status;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SourceUrl _source;
    private readonly CameraIngestMetrics _ingestMetrics;
    private Task _running = Task.CompletedTask;
    private TaskCompletionSource<byte[]>? _frameWanted;
    private int _stopped;

    public CameraPipeline(CameraRecord record, CameraNode node)
    {
        Record = record;
        _node = node;
        _logger = node.LoggerFactory.CreateLogger<CameraPipeline>();
        var camera = record.Camera;
        _source = SourceUrl.Parse(camera.Url);
        Metrics = node.PipelineMetrics.ForCamera(camera.Id);
        _ingestMetrics = node.IngestMetrics.ForCamera(camera.Id);
        Analysis = new CameraAnalysis(camera, record.Scene, record.Rules, node.Tracker, node.Alerts, Metrics);
        Locator = CameraLocators.For(camera, node.Vehicles);
        if (camera.Kind == CameraKind.Patrol && camera.VehicleId is { } vehicleId)
            node.Vehicles.Track(vehicleId);
        _supervisor = new StreamSupervisor(camera, node.Ingest, OnFrame, node.LoggerFactory, node.Time, _ingestMetrics, node.StartGate, node.FrameBuffers);
        _slot = node.Scheduler.Join(this, () => Metrics.FramesDropped.Inc());
        _status = new CameraStatus(camera, node.NodeId, node.Topics, node.Publisher, node.Time);
    }

    public string Id => Record.Id;

    /// <summary>The settings this pipeline was built from; a change to them means a new pipeline.</summary>
    public CameraRecord Record { get; }

    public CameraOptions Options => Record.Camera;

    public CameraHealth Health => _supervisor.Health;

    public ICameraLocator Locator { get; }

    /// <summary>The motion gate, tracker, rules and events; called by the detectors, one frame of this camera at a time.</summary>
    public CameraAnalysis Analysis { get; }

    /// <summary>The camera's series of the pipeline metrics; its ingest series are the supervisor's.</summary>
    public CameraPipelineMetrics Metrics { get; }

    /// <summary>Starts decoding; returns at once.</summary>
    public void Start() => _running = Task.Run(() => RunAsync(_stopping.Token));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            var description = _source.Kind == SourceKind.File
                ? await MediaProbe.DescribeAsync(_source, stoppingToken).ConfigureAwait(false)
                : $"{_source.Kind.ToString().ToUpperInvariant()} stream";
            LogStarting(Id, Options.Name, _source.Redacted, description);
            await _supervisor.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>On the camera's reading thread, for every decoded frame.</summary>
    private void OnFrame(Frame frame)
    {
        if (Volatile.Read(ref _frameWanted) is { } wanted && Interlocked.CompareExchange(ref _frameWanted, null, wanted) == wanted)
        {
            // Copied here, encoded elsewhere: the reading thread must not fall behind the decoder.
            var pixels = frame.Pixels.ToArray();
            var (width, height) = (frame.Width, frame.Height);
            _ = Task.Run(() =>
            {
                try
                {
                    wanted.TrySetResult(SnapshotRenderer.Render(pixels, width, height, []));
                }
                catch (Exception e)
                {
                    wanted.TrySetException(e);
                }
            });
        }
        _slot.Offer(frame);
    }

    /// <summary>The next frame the camera delivers, as a JPEG; null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<byte[]?> NextFrameJpegAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var wanted = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = Interlocked.CompareExchange(ref _frameWanted, wanted, null) ?? wanted;
        try
        {
            return await pending.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Once a second, from the node's camera directory: ends the events of a camera gone offline (no frames come to
    /// end them) and keeps its status on the broker current.
    /// </summary>
    /// <param name="republish">Say the status again even if nothing changed (the broker's retained state may be gone).</param>
    public async ValueTask TickAsync(bool republish, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _stopped) != 0)
            return;
        var health = Health.Snapshot();
        if (health.State == CameraState.Offline && !Analysis.IsIdle)
        {
            var output = new List<EventOutput>();
            Analysis.EndAll(EventEndReason.Offline, _node.Time.GetUtcNow().UtcDateTime, output);
            LogEndedOffline(Id, output.Count);
            await SendAsync(output, cancellationToken).ConfigureAwait(false);
        }
        _status.Refresh(health, republish);
    }

    /// <summary>
    /// Stops the camera: its decoder first, then its place with the detectors; its open events end with
    /// <paramref name="reason"/>, and its status says so (or, for a camera <c>removed</c> from the inventory, is withdrawn;
    /// for one handed over to another node, is left to that node).
    /// </summary>
    public async ValueTask StopAsync(EventEndReason reason)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _node.Scheduler.Leave(_slot);
        _frameWanted?.TrySetCanceled();

        var output = new List<EventOutput>();
        Analysis.Close(reason, _node.Time.GetUtcNow().UtcDateTime, output);
        using (var timeout = new CancellationTokenSource(EndsWriteTimeout))
            await SendAsync(output, timeout.Token).ConfigureAwait(false);

        if (reason is EventEndReason.Removed or EventEndReason.Handover)
        {
            if (reason == EventEndReason.Removed)
                _status.Withdraw();
            Metrics.Remove();
            _ingestMetrics.Remove();
        }
        else
        {
            _status.Refresh(Health.Snapshot(), force: true);
        }
        var said = WireNames.Of(reason);
        LogStopped(Id, said, output.Count);
    }

    private async ValueTask SendAsync(List<EventOutput> output, CancellationToken cancellationToken)
    {
        if (output.Count == 0)
            return;
        var batch = new CameraEvents(this, [.. output]);
        try
        {
            await _node.Events.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            foreach (var item in batch.Items)
                item.Snapshot?.Release();
            LogEndsLost(Id, batch.Items.Length);
        }
    }

    /// <summary>Stops the camera as the engine stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(EventEndReason.Shutdown).ConfigureAwait(false);
        Analysis.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId} ({CameraName}): {Source}: {Description}")]
    private partial void LogStarting(string cameraId, string cameraName, string source, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId} is offline: its tracks were dropped and {Messages} event message(s) sent")]
    private partial void LogEndedOffline(string cameraId, int messages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId} stopped ({Reason}); {Messages} event message(s) ended its open events")]
    private partial void LogStopped(string cameraId, string reason, int messages);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: {Count} event message(s) could not reach the alert stage")]
    private partial void LogEndsLost(string cameraId, int count);
}
