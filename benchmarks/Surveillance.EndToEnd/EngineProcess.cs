using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Surveillance.EndToEnd;

/// <summary>The engine as operators run it: its own process (the Release build of src/Host), with the embedded broker.</summary>
public sealed class EngineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _outbox;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private EngineProcess(Process process, int metricsPort, int mqttPort, string outbox)
    {
        _process = process;
        MetricsPort = metricsPort;
        MqttPort = mqttPort;
        _outbox = outbox;
    }

    public const string TopicPrefix = "bench";

    public int Pid => _process.Id;

    public int MetricsPort { get; }

    public int MqttPort { get; }

    public static async Task<EngineProcess> StartAsync(string repoRoot, IDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var host = Path.Combine(repoRoot, "src", "Host", "bin", "Release", "net10.0", "Surveillance.Host.dll");
        if (!File.Exists(host))
            throw new FileNotFoundException($"Build the engine first (dotnet build src/Host -c Release): {host} is missing.");
        var metricsPort = FreePort.Next();
        var mqttPort = FreePort.Next();
        var outbox = Path.Combine(Path.GetTempPath(), $"surveillance-bench-{Guid.NewGuid():N}.db");
        var all = new Dictionary<string, string>(settings)
        {
            ["Node:Id"] = "bench",
            ["Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:TopicPrefix"] = TopicPrefix,
            ["Outbox:Path"] = outbox,
        };

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(host);
        foreach (var (key, value) in all)
            start.ArgumentList.Add($"--{key}={value}");
        var process = Process.Start(start)!;
        var engine = new EngineProcess(process, metricsPort, mqttPort, outbox);
        process.OutputDataReceived += (_, e) => engine.Append(e.Data);
        process.ErrorDataReceived += (_, e) => engine.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The first scrape waits for the engine to say it listens, rather than polling a port that is not open yet.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!engine.Log.Contains("Metrics at http://", StringComparison.Ordinal))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The engine exited with {process.ExitCode} at start:\n{engine.Log}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The engine did not serve its metrics within 60 s:\n{engine.LogTail(60)}");
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        await engine.ScrapeAsync(cancellationToken).ConfigureAwait(false);
        return engine;
    }

    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    public async Task<string> ScrapeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (_process.HasExited)
        {
            throw new InvalidOperationException($"The engine exited with {_process.ExitCode}; its last lines:\n{LogTail(40)}", e);
        }
    }

    public string LogTail(int lines)
    {
        var all = Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    /// <summary>The engine's CPU seconds and its ffmpeg children's.</summary>
    public (double Engine, double Ffmpeg) CpuSeconds() =>
        (ProcessStats.CpuSeconds(Pid), ProcessStats.Children(Pid, "ffmpeg").Sum(ProcessStats.CpuSeconds));

    /// <summary>Sends a signal (STOP, CONT) to every ffmpeg child of the engine.</summary>
    public async Task SignalDecodersAsync(string signal)
    {
        var decoders = ProcessStats.Children(Pid, "ffmpeg").Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
        if (decoders.Count == 0)
            return;
        using var kill = Process.Start("kill", [$"-{signal}", .. decoders]);
        await kill.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Resident memory of the engine and of its ffmpeg children together, MiB.</summary>
    public double RssMb() => ProcessStats.RssMb(Pid) + ProcessStats.Children(Pid, "ffmpeg").Sum(ProcessStats.RssMb);

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the engine ends its events and stops its ffmpeg children itself.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync().ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        _http.Dispose();
        foreach (var file in new[] { _outbox, _outbox + "-wal", _outbox + "-shm" })
            File.Delete(file);
    }
}
