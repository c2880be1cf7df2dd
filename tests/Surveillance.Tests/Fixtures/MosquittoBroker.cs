namespace Surveillance.Tests.Fixtures;

/// <summary>A real Debian mosquitto broker on 127.0.0.1 and a port of its own.</summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private MosquittoBroker(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync()
    {
        var port = FreePort.Next();
        var directory = Directory.CreateTempSubdirectory("surveillance-mosquitto-").FullName;
        var config = Path.Combine(directory, "mosquitto.conf");
        // Without TCP_NODELAY, QoS 1 acknowledgements wait on Nagle's algorithm.
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            set_tcp_nodelay true
            persistence false
            log_dest stdout
            """);
        var process = await ChildProcess.StartAsync("mosquitto", ["-c", config], readyLine: null, TimeSpan.FromSeconds(5));
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return new MosquittoBroker(process, directory, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
