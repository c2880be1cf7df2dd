using Microsoft.Extensions.Logging;
using Surveillance.Ingest.Health;

namespace Surveillance.Ingest;

/// <summary>
/// Keeps one camera's stream alive for as long as the engine runs: starts ffmpeg, hands every frame on,
/// kills it when it stalls, and restarts it after it stops, whatever the reason. A network source whose server
/// no longer accepts connections is probed every <see cref="StreamTimingOptions.ProbeIntervalSeconds"/> and
/// restarted the moment it does; one that accepts and still fails is retried with exponential backoff and jitter,
/// reset once the stream has been stable for a while. Never throws but for cancellation: a camera's trouble stays
/// that camera's.
/// </summary>
public sealed partial class StreamSupervisor
{
    private readonly CameraOptions _camera;
    private readonly IngestOptions _ingest;
    private readonly StreamTimingOptions _timing;
    private readonly Action<Frame> _onFrame;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DecoderStartGate _startGate;
    private readonly FramePool _pool;
    private readonly string _source;
    private readonly SourceProbe? _probe;
    private readonly CameraIngestMetrics _metrics;

    /// <param name="onFrame">Receives each frame and owns it from then on (releases it); runs on the camera's reading thread, so it must not block.</param>
    /// <param name="metrics">The camera's series, which its decoders and its health count into.</param>
    /// <param name="startGate">Shared by the cameras of one engine: how many of their decoders may start at once.</param>
    /// <param name="buffers">Shared by the cameras of one engine: the pinned frame buffers a stopped camera gives back.</param>
    public StreamSupervisor(CameraOptions camera, IngestOptions ingest, Action<Frame> onFrame, ILoggerFactory loggerFactory, TimeProvider time,
        CameraIngestMetrics metrics, DecoderStartGate? startGate = null, FrameBuffers? buffers = null)
    {
        _metrics = metrics;
        _startGate = startGate ?? DecoderStartGate.Unlimited;
        _camera = camera;
        _ingest = ingest;
        _timing = ingest.TimingFor(camera.Kind);
        _onFrame = onFrame;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<StreamSupervisor>();
        _time = time;
        _pool = new FramePool(camera.Id, camera.DetectWidth, camera.DetectHeight, buffers);
        var url = SourceUrl.Parse(camera.Url);
        _source = url.Redacted;
        if (url.Endpoint is { } endpoint)
            _probe = new SourceProbe(endpoint, ProbeTimeout);
        StallTimeout = _timing.StallTimeoutFor(camera);
        Health = new CameraHealth(camera.Id, camera.DetectFps, time, metrics);
    }

    public CameraHealth Health { get; }

    public TimeSpan StallTimeout { get; }

    /// <summary>A server that has not answered a TCP handshake in this time is not there.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(_timing.BackoffInitialSeconds), TimeSpan.FromSeconds(_timing.BackoffMaxSeconds));
        var stablePeriod = TimeSpan.FromSeconds(_timing.StablePeriodSeconds);
        var sourceLogger = _loggerFactory.CreateLogger<FfmpegFrameSource>();
        long nextSequence = 0;

        LogSupervising(_camera.Id, _source, StallTimeout.TotalSeconds, _timing.BackoffInitialSeconds, _timing.BackoffMaxSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var source = new FfmpegFrameSource(_camera, _ingest, _pool, nextSequence, StallTimeout, sourceLogger, _metrics, _startGate);
            Health.DecoderStarted();
            long? streamingSince = null;
            try
            {
                await source.RunAsync(frame =>
                {
                    Health.FrameReceived();
                    if (streamingSince is null)
                    {
                        streamingSince = _time.GetTimestamp();
                        LogStreaming(_camera.Id, frame.Sequence);
                    }
                    else if (streamingSince > 0 && _time.GetElapsedTime(streamingSince.Value) >= stablePeriod)
                    {
                        backoff.Reset();
                        streamingSince = 0; // stable: no need to look again until the next restart
                    }
                    _onFrame(frame);
                }, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (FrameSourceException e)
            {
                if (e.Failure == FrameSourceFailure.Stalled)
                    Health.Stalled();
                Health.DecoderStopped(e.Message);
                LogStopped(_camera.Id, e.Message);
            }
            catch (Exception e)
            {
                Health.DecoderStopped($"{e.GetType().Name}: {e.Message}");
                LogFailed(e, _camera.Id, _source);
            }
            finally
            {
                nextSequence = source.NextSequence;
                await source.DisposeAsync().ConfigureAwait(false);
            }

            string? unreachable;
            try
            {
                unreachable = _probe is null ? null : await _probe.TryConnectAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (unreachable is not null)
            {
                if (!await WaitUntilReachableAsync(unreachable, stoppingToken).ConfigureAwait(false))
                    break;
                continue;
            }

            var delay = backoff.Next();
            LogRestarting(_camera.Id, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        Health.DecoderStopped("engine stopped");
        _pool.Close();
    }

    /// <summary>Probes the source until its server accepts a connection.</summary>
    /// <returns>False when the engine stopped meanwhile.</returns>
    private async Task<bool> WaitUntilReachableAsync(string reason, CancellationToken stoppingToken)
    {
        var endpoint = $"{_probe!.Endpoint.Host}:{_probe.Endpoint.Port}";
        var interval = TimeSpan.FromSeconds(_timing.ProbeIntervalSeconds);
        var since = _time.GetTimestamp();
        Health.DecoderStopped($"{endpoint} unreachable: {reason}");
        LogUnreachable(_camera.Id, endpoint, reason, interval.TotalSeconds);
        try
        {
            do
                await Task.Delay(interval, _time, stoppingToken).ConfigureAwait(false);
            while (await _probe.TryConnectAsync(stoppingToken).ConfigureAwait(false) is not null);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        var away = _time.GetElapsedTime(since);
        LogReachable(_camera.Id, endpoint, away.TotalSeconds);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Camera {CameraId}: {Endpoint} unreachable ({Reason}); asking again every {IntervalSeconds} s and restarting as soon as it answers")]
    private partial void LogUnreachable(string cameraId, string endpoint, string reason, double intervalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: {Endpoint} answers again after {Seconds:0.0} s; restarting now")]
    private partial void LogReachable(string cameraId, string endpoint, double seconds);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Camera {CameraId}: supervising {Source} (stall timeout {StallSeconds} s, backoff {BackoffInitial}-{BackoffMax} s)")]
    private partial void LogSupervising(string cameraId, string source, double stallSeconds, double backoffInitial, double backoffMax);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: streaming (frame {Sequence})")]
    private partial void LogStreaming(string cameraId, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: stream stopped: {Reason}")]
    private partial void LogStopped(string cameraId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: stream {Source} failed")]
    private partial void LogFailed(Exception exception, string cameraId, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: restarting in {DelaySeconds:0.0} s")]
    private partial void LogRestarting(string cameraId, double delaySeconds);
}
