namespace Surveillance.Tests.Fixtures;

/// <summary>
/// A real Debian redis-server on 127.0.0.1 and a port of its own, with its append-only file on, as a membership store
/// must run: a Redis that restarts empty has lost the cluster's membership table.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private ChildProcess? _process;

    private RedisServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(Directory.CreateTempSubdirectory("surveillance-redis-").FullName, FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port, with what it had written to its append-only file.</summary>
    public async Task StartAgainAsync()
    {
        _process = await ChildProcess.StartAsync("redis-server",
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--dir", _directory, "--protected-mode", "no"],
            readyLine: null, TimeSpan.FromSeconds(5));
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10));
    }

    public async Task StopAsync()
    {
        if (_process is null)
            return;
        await _process.KillAsync();
        await _process.DisposeAsync();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
