using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Surveillance.Ingest;
using Surveillance.Ingest.Health;

namespace Surveillance.EndToEnd;

/// <summary>
/// How soon a camera is back after its RTSP server was away for 5, 30 and 120 s: from the server's return to the
/// camera's first frame and to its state <c>online</c>, with the engine's own supervisor and default settings
/// against GStreamer's RTSP server. The baseline, measured in the same run, is a camera started cold at the
/// moment the server returns: what no reconnect strategy can beat.
/// </summary>
public static class SourceRecovery
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public sealed record Sample(string Case, double OutageSeconds, double FirstFrameSeconds, double OnlineSeconds, int StartsDuringOutage);

    public static async Task<List<Sample>> MeasureAsync(string repoRoot, string media, IReadOnlyList<double> outages, int repeats,
        Action<string> say, CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        for (var i = 0; i < repeats; i++)
        {
            samples.Add(await ColdStartAsync(repoRoot, media, cancellationToken).ConfigureAwait(false));
            say($"cold start: first frame {samples[^1].FirstFrameSeconds:F2} s, online {samples[^1].OnlineSeconds:F2} s");
            foreach (var outage in outages)
            {
                var sample = await OutageAsync(repoRoot, media, TimeSpan.FromSeconds(outage), cancellationToken).ConfigureAwait(false);
                samples.Add(sample);
                say($"outage {outage:F0} s: first frame {sample.FirstFrameSeconds:F2} s, online {sample.OnlineSeconds:F2} s after the server's return; " +
                    $"{sample.StartsDuringOutage} decoder start(s) during the outage");
            }
        }
        return samples;
    }

    private static async Task<Sample> ColdStartAsync(string repoRoot, string media, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        await using var server = await RtspServerProcess.StartAsync(repoRoot, media, port, cancellationToken).ConfigureAwait(false);
        var returned = Stopwatch.GetTimestamp();
        await using var camera = new WatchedCamera(port);
        var (frame, online) = await camera.WaitForRecoveryAsync(returned, cancellationToken).ConfigureAwait(false);
        return new Sample("cold start", 0, frame, online, 0);
    }

    private static async Task<Sample> OutageAsync(string repoRoot, string media, TimeSpan outage, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var server = await RtspServerProcess.StartAsync(repoRoot, media, port, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var camera = new WatchedCamera(port);
            await camera.WaitForRecoveryAsync(Stopwatch.GetTimestamp(), cancellationToken).ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            var startsBefore = camera.Health.Snapshot().ReconnectsLastHour;
            await Task.Delay(outage, cancellationToken).ConfigureAwait(false);
            var starts = camera.Health.Snapshot().ReconnectsLastHour - startsBefore;

            server = await RtspServerProcess.StartAsync(repoRoot, media, port, cancellationToken).ConfigureAwait(false);
            var (frame, online) = await camera.WaitForRecoveryAsync(Stopwatch.GetTimestamp(), cancellationToken).ConfigureAwait(false);
            return new Sample($"outage {outage.TotalSeconds:F0} s", outage.TotalSeconds, frame, online, starts);
        }
        finally
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    public static string Markdown(IReadOnlyList<Sample> samples)
    {
        var text = new StringBuilder();
        text.AppendLine("# Source recovery");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores by `./bench.sh --recovery=true`: ") +
            "seconds from the RTSP server's return to the camera's first frame and to its state `online`; the cold start is a camera " +
            "started at the moment its server is up, the floor for any reconnect strategy.");
        text.AppendLine();
        text.AppendLine("| case | runs | first frame, s (min-max) | online, s (min-max) | decoder starts during the outage (max) | first frame - cold start, s |");
        text.AppendLine("|---|---|---|---|---|---|");
        var cold = samples.Where(s => s.Case == "cold start").Select(s => s.FirstFrameSeconds).DefaultIfEmpty(0).Average();
        foreach (var group in samples.GroupBy(s => s.Case))
        {
            var frames = group.Select(s => s.FirstFrameSeconds).ToList();
            var online = group.Select(s => s.OnlineSeconds).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key} | {frames.Count} | {frames.Average():F2} ({frames.Min():F2}-{frames.Max():F2}) | {online.Average():F2} ({online.Min():F2}-{online.Max():F2}) | {group.Max(s => s.StartsDuringOutage)} | {frames.Average() - cold:F2} |");
        }
        return text.ToString();
    }

    /// <summary>A camera on the RTSP server's port, run by the engine's supervisor with the default fixed-camera settings.</summary>
    private sealed class WatchedCamera : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly StreamSupervisor _supervisor;
        private readonly Task _run;
        private long _lastFrame;

        public WatchedCamera(int port)
        {
            var camera = new CameraOptions
            {
                Id = "recovering", Url = $"rtsp://127.0.0.1:{port}/cam", GridId = "g", Latitude = 1, Longitude = 1,
                DetectFps = 5, DetectWidth = 640, DetectHeight = 480,
            };
            _supervisor = new StreamSupervisor(camera, new IngestOptions(), frame =>
            {
                Interlocked.Exchange(ref _lastFrame, Stopwatch.GetTimestamp());
                frame.Release();
            }, NullLoggerFactory.Instance, TimeProvider.System, new IngestMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry())).ForCamera(camera.Id));
            _run = Task.Run(() => _supervisor.RunAsync(_stop.Token));
        }

        public CameraHealth Health => _supervisor.Health;

        /// <summary>Seconds from <paramref name="since"/> to the first frame after it and to the state online.</summary>
        public async Task<(double FirstFrame, double Online)> WaitForRecoveryAsync(long since, CancellationToken cancellationToken)
        {
            double? frame = null;
            while (Stopwatch.GetElapsedTime(since) < Patience)
            {
                var last = Interlocked.Read(ref _lastFrame);
                if (frame is null && last > since)
                    frame = Stopwatch.GetElapsedTime(since, last).TotalSeconds;
                if (frame is not null && Health.Snapshot().State == CameraState.Online)
                    return (frame.Value, Stopwatch.GetElapsedTime(since).TotalSeconds);
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
            throw new TimeoutException($"the camera did not recover within {Patience.TotalSeconds} s");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _run.ConfigureAwait(false);
            _stop.Dispose();
        }
    }
}
