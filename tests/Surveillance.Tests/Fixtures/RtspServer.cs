namespace Surveillance.Tests.Fixtures;

/// <summary>GStreamer's gst-rtsp-server (through tests/tools/rtsp_server.py) serving real H.264 video on 127.0.0.1.</summary>
public sealed class RtspServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private RtspServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"rtsp://127.0.0.1:{Port}/cam";

    /// <param name="port">A port of its own by default; give the port of a killed server to bring it back.</param>
    public static async Task<RtspServer> StartAsync(string h264File, int? port = null) => await StartOnAsync(h264File, port ?? FreePort.Next());

    private static async Task<RtspServer> StartOnAsync(string h264File, int port)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "tools", "rtsp_server.py");
        // Debian's python3, which has the GObject bindings; another python3 earlier on PATH may not.
        var process = await ChildProcess.StartAsync("/usr/bin/python3", [script, "--port", port.ToString(), "--file", h264File],
            readyLine: "READY", TimeSpan.FromSeconds(20));
        return new RtspServer(process, port);
    }

    /// <summary>Kills the server as a crash would: no goodbye to its clients.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
