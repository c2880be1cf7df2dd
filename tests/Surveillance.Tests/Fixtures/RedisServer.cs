namespace Surveillance.Tests.Fixtures;

/// <summary>A real Debian redis-server on 127.0.0.1 and a port of its own, keeping nothing on disk.</summary>
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
        await server.StartServerAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port, empty: a restarted Redis without persistence has lost the membership table.</summary>
    public async Task StartServerAsync()
    {
        _process = await ChildProcess.StartAsync("redis-server",
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
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
