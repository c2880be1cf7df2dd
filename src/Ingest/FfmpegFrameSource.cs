using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Surveillance.Ingest;

/// <summary>
/// Decodes one camera by running the ffmpeg binary as a child process, so that a decoder crash or hang
/// never takes the engine down, and reads fixed-size raw BGR frames from its stdout into pooled buffers.
/// </summary>
/// <remarks>
/// ffmpeg is run directly rather than through FFMpegCore's pipe sink, which copies every frame through
/// an intermediate stream per read; reading stdout into pooled frames (<see cref="PipeFrameReader"/>)
/// allocates nothing per frame.
/// </remarks>
public sealed partial class FfmpegFrameSource : IAsyncDisposable
{
    private const int StderrLinesLogged = 20;
    private const int StderrLinesKept = 5;

    private readonly CameraOptions _camera;
    private readonly SourceUrl _source;
    private readonly IngestOptions _ingest;
    private readonly FramePool _pool;
    private readonly ILogger _logger;
    private readonly Queue<string> _lastStderrLines = new();
    private readonly CameraIngestMetrics _metrics;
    private readonly TimeSpan _stallTimeout;
    private readonly DecoderStartGate _startGate;
    private Process? _process;
    private Task _stderrPump = Task.CompletedTask;
    private volatile bool _disposed;

    /// <param name="stallTimeout">
    /// No frame for this long, the first one included, and ffmpeg is killed and the read ends with
    /// <see cref="FrameSourceFailure.Stalled"/>; <see cref="Timeout.InfiniteTimeSpan"/> to wait forever.
    /// </param>
    /// <param name="metrics">The camera's series: frames decoded, decoder starts and exits.</param>
    /// <param name="startGate">Where the decoder waits its turn to start; its stall timer runs from the start.</param>
    public FfmpegFrameSource(CameraOptions camera, IngestOptions ingest, FramePool pool, long firstSequence, TimeSpan stallTimeout, ILogger logger,
        CameraIngestMetrics metrics, DecoderStartGate? startGate = null)
    {
        _stallTimeout = stallTimeout;
        _startGate = startGate ?? DecoderStartGate.Unlimited;
        _camera = camera;
        _source = SourceUrl.Parse(camera.Url);
        _ingest = ingest;
        _pool = pool;
        _logger = logger;
        NextSequence = firstSequence;
        _metrics = metrics;
    }

    /// <summary>The sequence number the next frame will carry.</summary>
    public long NextSequence { get; private set; }

    /// <summary>
    /// Starts ffmpeg and hands every frame to <paramref name="onFrame"/>, which owns it from then on and runs
    /// on the source's reading thread (it must not block), until ffmpeg stops. Ends with a
    /// <see cref="FrameSourceException"/> when the decoder exits, whatever its exit code (ffmpeg's RTSP client
    /// exits with 0 when the server goes away), or is killed for stalling.
    /// </summary>
    public async Task RunAsync(Action<Frame> onFrame, CancellationToken cancellationToken)
    {
        // Held until the first frame or the end, whichever comes first.
        using var starting = await _startGate.EnterAsync(cancellationToken).ConfigureAwait(false);
        var process = Start();
        var stdout = process.StandardOutput.BaseStream;
        PipeCapacity.TryEnlarge(stdout, _pool.FrameLength);

        // The watchdog kills ffmpeg when no frame comes in time, and so does cancellation: either ends the
        // pipe, however stuck the decoder, and with it the reading thread.
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var killOnStall = watchdog.Token.Register(static state => ((FfmpegFrameSource)state!).KillQuietly(), this);
        watchdog.CancelAfter(_stallTimeout);
        var reader = new PipeFrameReader(stdout, _pool, NextSequence, frame =>
        {
            starting.Dispose();
            watchdog.CancelAfter(_stallTimeout);
            _metrics.FramesDecoded.Inc();
            onFrame(frame);
        }, $"ffmpeg {_camera.Id}");
        try
        {
            await reader.Ended.ConfigureAwait(false);
        }
        catch
        {
            KillQuietly();
            throw;
        }
        finally
        {
            NextSequence = reader.NextSequence;
        }

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        _metrics.DecoderExits.Inc();
        if (watchdog.IsCancellationRequested)
        {
            throw new FrameSourceException(FrameSourceFailure.Stalled,
                $"no frame from camera '{_camera.Id}' ({_source.Redacted}) for {_stallTimeout.TotalSeconds:0.#} s: stream stalled, ffmpeg killed");
        }
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _stderrPump.ConfigureAwait(false);
        throw new FrameSourceException(FrameSourceFailure.Exited, DescribeExit(process.ExitCode));
    }

    private void KillQuietly()
    {
        try
        {
            if (_process is { HasExited: false })
                _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    private Process Start()
    {
        if (_process is not null)
            throw new InvalidOperationException("A frame source reads its stream once; create a new one to reconnect.");

        var startInfo = new ProcessStartInfo(_ingest.FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in FfmpegArguments.For(_camera, _source, _ingest))
            startInfo.ArgumentList.Add(argument);

        _metrics.DecoderStarts.Inc();
        try
        {
            _process = Process.Start(startInfo)
                ?? throw new FrameSourceException(FrameSourceFailure.StartFailed, $"ffmpeg ('{_ingest.FfmpegPath}') did not start.");
        }
        catch (Win32Exception e)
        {
            _metrics.DecoderExits.Inc();
            throw new FrameSourceException(FrameSourceFailure.StartFailed,
                $"ffmpeg could not be started from '{_ingest.FfmpegPath}' ({e.Message}): install the Debian package 'ffmpeg' or set Ingest:FfmpegPath.", e);
        }

        LogDecoderStarted(_camera.Id, _source.Redacted, _process.Id, _camera.DetectWidth, _camera.DetectHeight, _camera.DetectFps);
        _stderrPump = PumpStderrAsync(_process);
        return _process;
    }

    private async Task PumpStderrAsync(Process process)
    {
        var lines = 0;
        try
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                var safe = _source.RedactText(line);
                lock (_lastStderrLines)
                {
                    _lastStderrLines.Enqueue(safe);
                    if (_lastStderrLines.Count > StderrLinesKept)
                        _lastStderrLines.Dequeue();
                }
                if (++lines <= StderrLinesLogged)
                    LogDecoderMessage(_camera.Id, safe);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process was killed and its pipe closed under us: nothing more to read.
        }

        if (lines > StderrLinesLogged)
            LogDecoderMessagesSuppressed(_camera.Id, lines - StderrLinesLogged);
    }

    private string DescribeExit(int exitCode)
    {
        string detail;
        lock (_lastStderrLines)
            detail = _lastStderrLines.Count == 0 ? "no error output" : string.Join(" | ", _lastStderrLines);
        return $"ffmpeg for camera '{_camera.Id}' ({_source.Redacted}) exited with code {exitCode}: {detail}";
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_process is null)
            return;
        try
        {
            // A stalled ffmpeg may ignore SIGTERM, and a child it spawned must not outlive it.
            KillQuietly();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await _stderrPump.ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or Win32Exception)
        {
            LogDecoderNotReaped(e, _camera.Id);
        }
        finally
        {
            // Process.Dispose leaves streams that were read synchronously open, for the finalizer to close: with
            // cameras restarted and removed all day, that was two pipes per decoder until the next full collection.
            _process.StandardOutput.Dispose();
            _process.StandardError.Dispose();
            _process.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Camera {CameraId}: decoder started for {Source} (pid {Pid}, {Width}x{Height} at {Fps} fps)")]
    private partial void LogDecoderStarted(string cameraId, string source, int pid, int width, int height, double fps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: ffmpeg: {Line}")]
    private partial void LogDecoderMessage(string cameraId, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: {Count} more ffmpeg messages were not logged")]
    private partial void LogDecoderMessagesSuppressed(string cameraId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: ffmpeg could not be stopped and reaped")]
    private partial void LogDecoderNotReaped(Exception exception, string cameraId);
}
