namespace Surveillance.Tests.Fixtures;

/// <summary>A real Debian mosquitto broker on 127.0.0.1 and a port of its own.</summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _config;
    private ChildProcess? _process;

    private MosquittoBroker(string directory, string config, int port)
    {
        _directory = directory;
        _config = config;
        Port = port;
    }

    public int Port { get; }

    /// <param name="persistent">Keep sessions and queued messages across a restart of the broker (on disk).</param>
    /// <param name="listenerConfig">mosquitto.conf lines for the listener (TLS, password file); anonymous access by default.</param>
    public static async Task<MosquittoBroker> StartAsync(bool persistent = false, string? listenerConfig = null)
    {
        var port = FreePort.Next();
        var directory = Directory.CreateTempSubdirectory("surveillance-mosquitto-").FullName;
        var config = Path.Combine(directory, "mosquitto.conf");
        // Without TCP_NODELAY, QoS 1 acknowledgements wait on Nagle's algorithm. "user root" keeps a broker
        // started as root from dropping to the mosquitto user, who could not read this test's private files.
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            {listenerConfig ?? "allow_anonymous true"}
            set_tcp_nodelay true
            user root
            persistence {(persistent ? "true" : "false")}
            persistence_location {directory}/
            autosave_interval 1
            log_dest stdout
            """);
        var broker = new MosquittoBroker(directory, config, port);
        await broker.StartAsync();
        return broker;
    }

    /// <summary>Starts the broker (again) on its port, with its configuration and, if persistent, its saved state.</summary>
    public async Task StartAsync()
    {
        _process = await ChildProcess.StartAsync("mosquitto", ["-c", _config], readyLine: null, TimeSpan.FromSeconds(5));
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10));
    }

    /// <summary>Stops the broker as an administrator would (SIGTERM); a persistent broker saves its state.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        await _process.StopGracefullyAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Freezes the broker: its connections stay open but nothing answers, as with a hung server or a dead route.</summary>
    public Task FreezeAsync() => _process!.SignalAsync("STOP");

    public Task ThawAsync() => _process!.SignalAsync("CONT");

    public string Output => _process?.Output ?? "";

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
