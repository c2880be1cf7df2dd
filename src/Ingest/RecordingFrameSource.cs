using System.ComponentModel;
using System.Diagnostics;

namespace Surveillance.Ingest;

/// <summary>
/// Decodes a video file once, as fast as the CPU allows, with the same ffmpeg child process and scaling as a live
/// camera (<see cref="FfmpegArguments.ForRecording"/>), and hands over every frame in file order, stamped with the
/// recording's own timeline rather than the time it was read. For measuring the pipeline on recorded video; live
/// cameras use <see cref="FfmpegFrameSource"/>.
/// </summary>
/// <remarks>
/// The callback may block: the pipe then fills and ffmpeg waits, which is what a recording read for analysis wants
/// (no frame is ever dropped), unlike a live camera whose newest frame matters most.
/// </remarks>
public sealed class RecordingFrameSource
{
    private const int StderrLinesKept = 5;

    private readonly CameraOptions _camera;
    private readonly string _path;
    private readonly IngestOptions _ingest;
    private readonly Func<long, DateTime> _timeOf;

    /// <param name="camera">The detect size and id of the camera the recording stands in for.</param>
    /// <param name="timeOf">The time stamped on the frame of each index (0-based) of the file.</param>
    public RecordingFrameSource(CameraOptions camera, string path, IngestOptions ingest, Func<long, DateTime> timeOf)
    {
        _camera = camera;
        _path = path;
        _ingest = ingest;
        _timeOf = timeOf;
    }

    /// <summary>
    /// Runs ffmpeg to the end of the file and hands every frame to <paramref name="onFrame"/>, which owns it from then on.
    /// </summary>
    /// <returns>The number of frames read.</returns>
    /// <exception cref="FrameSourceException">ffmpeg could not be started or failed on the file.</exception>
    public async Task<long> RunAsync(Action<Frame> onFrame, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(_ingest.FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in FfmpegArguments.ForRecording(_camera, _path, _ingest))
            startInfo.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(startInfo)
                ?? throw new FrameSourceException(FrameSourceFailure.StartFailed, $"ffmpeg ('{_ingest.FfmpegPath}') did not start.");
        }
        catch (Win32Exception e)
        {
            throw new FrameSourceException(FrameSourceFailure.StartFailed,
                $"ffmpeg could not be started from '{_ingest.FfmpegPath}' ({e.Message}): install the Debian package 'ffmpeg' or set Ingest:FfmpegPath.", e);
        }

        using (process)
        {
            var stderr = ReadLastLinesAsync(process.StandardError);
            var pool = new FramePool(_camera.Id, _camera.DetectWidth, _camera.DetectHeight);
            var stdout = process.StandardOutput.BaseStream;
            PipeCapacity.TryEnlarge(stdout, pool.FrameLength);
            var reader = new PipeFrameReader(stdout, pool, 0, onFrame, $"ffmpeg {_camera.Id}", _timeOf);
            await using (cancellationToken.Register(() => KillQuietly(process)).ConfigureAwait(false))
            {
                try
                {
                    await reader.Ended.ConfigureAwait(false);
                    await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    KillQuietly(process);
                    throw;
                }
            }
            var lastLines = await stderr.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
            {
                throw new FrameSourceException(FrameSourceFailure.Exited,
                    $"ffmpeg exited with code {process.ExitCode} on '{_path}': {(lastLines.Count == 0 ? "no error output" : string.Join(" | ", lastLines))}");
            }
            return reader.NextSequence;
        }
    }

    private static async Task<IReadOnlyCollection<string>> ReadLastLinesAsync(StreamReader stderr)
    {
        var lines = new Queue<string>();
        try
        {
            while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lines.Enqueue(line);
                if (lines.Count > StderrLinesKept)
                    lines.Dequeue();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Killed: nothing more to read.
        }
        return lines;
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Exited meanwhile.
        }
    }
}
