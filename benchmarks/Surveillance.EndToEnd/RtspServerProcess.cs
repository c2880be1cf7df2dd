using System.Diagnostics;

namespace Surveillance.EndToEnd;

/// <summary>GStreamer's RTSP server (tests/tools/rtsp_server.py) serving an H.264 MP4 on 127.0.0.1; killed, as a crash would, when disposed.</summary>
public sealed class RtspServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RtspServerProcess(Process process) => _process = process;

    public static async Task<RtspServerProcess> StartAsync(string repoRoot, string media, int port, CancellationToken cancellationToken)
    {
        // Debian's python3, which has the GObject bindings; another python3 earlier on PATH may not.
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(repoRoot, "tests", "tools", "rtsp_server.py"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--file", media })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            if (line.Contains("READY", StringComparison.Ordinal))
                return new RtspServerProcess(process);
        }
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        process.Dispose();
        throw new InvalidOperationException($"the RTSP server did not start: {errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
