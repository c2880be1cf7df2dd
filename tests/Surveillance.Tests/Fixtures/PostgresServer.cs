namespace Surveillance.Tests.Fixtures;

/// <summary>
/// A real Debian PostgreSQL server of its own: a fresh data directory (initdb, trust authentication on 127.0.0.1),
/// listening on a free port. PostgreSQL refuses to run as root, so both run as the postgres user the package creates.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _bin;
    private ChildProcess? _process;

    private PostgresServer(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).OrderDescending()
            .FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (Debian package postgresql: ./test.sh installs it)");
        var directory = Directory.CreateTempSubdirectory("surveillance-postgres-").FullName;
        var server = new PostgresServer(directory, bin, FreePort.Next());
        await using (var chown = await ChildProcess.StartAsync("chown", ["-R", "postgres:postgres", directory], readyLine: null, TimeSpan.FromSeconds(5)))
            await chown.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await using (var initdb = await ChildProcess.StartAsync("runuser",
            ["-u", "postgres", "--", Path.Combine(bin, "initdb"), "-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync"],
            readyLine: null, TimeSpan.FromSeconds(5)))
        {
            if (await initdb.WaitForExitAsync(TimeSpan.FromSeconds(60)) != 0)
                throw new InvalidOperationException($"initdb failed: {initdb.Output}");
        }
        await server.StartServerAsync();
        return server;
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Starts the server (again) on its port, with the data it had.</summary>
    public async Task StartServerAsync()
    {
        _process = await ChildProcess.StartAsync("runuser",
            ["-u", "postgres", "--", Path.Combine(_bin, "postgres"), "-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={_directory}", "-c", "fsync=off", "-c", "max_connections=200"],
            readyLine: null, TimeSpan.FromSeconds(5));
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops the server at once (SIGINT: fast shutdown, open connections are cut).</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        await _process.SignalAsync("INT");
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await _process.DisposeAsync();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
