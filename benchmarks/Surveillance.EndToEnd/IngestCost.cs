using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Surveillance.Ingest;

namespace Surveillance.EndToEnd;

/// <summary>
/// What decoding costs: the engine's ffmpeg command lines alone, and the engine's ingest stage (the same
/// command lines plus supervisors, frame reading, pooling, health) in this process, both at once over the
/// same window, so that both see the same machine (a virtual machine's speed drifts by a quarter within
/// minutes, which would swamp the difference measured one after the other).
/// </summary>
public static class IngestCost
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The bare ffmpeg's drain threads live in this process; their CPU, found by this name, is not the engine's.</summary>
    private const string DrainThreadName = "bare ffmpeg out";

    /// <param name="FfmpegCpuSeconds">The part of <paramref name="CpuSeconds"/> spent in ffmpeg.</param>
    /// <param name="Streams">How many cameras were decoded.</param>
    public sealed record Result(double CpuSeconds, double FfmpegCpuSeconds, long Frames, int Streams);

    public static async Task<(Result Alone, Result Ingest)> MeasureAsync(IReadOnlyList<CameraOptions> cameras, IngestOptions ingest,
        TimeSpan window, CancellationToken cancellationToken)
    {
        var bare = new List<Process>();
        var bareBytes = new long[cameras.Count];
        long ingestFrames = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Warnings only: a decoder that stalls or exits says why before the measurement is refused for it.
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        using var startGate = new DecoderStartGate(ingest.EffectiveMaxConcurrentStarts);
        var streaming = new int[cameras.Count];
        var metrics = new IngestMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
        var supervisors = cameras.Select((c, i) => new StreamSupervisor(c, ingest, frame =>
        {
            Interlocked.Increment(ref ingestFrames);
            Volatile.Write(ref streaming[i], 1);
            frame.Release();
        }, logging, TimeProvider.System, metrics.ForCamera(c.Id), startGate)).ToList();
        var running = supervisors.Select(s => Task.Run(() => s.RunAsync(stop.Token), stop.Token)).ToList();
        try
        {
            for (var i = 0; i < cameras.Count; i++)
                bare.Add(StartBare(cameras[i], ingest, bareBytes, i));

            // With hardware decoding decoders start a few at a time (the start gate): wait for the last one.
            int Streaming() => Enumerable.Range(0, cameras.Count).Count(i => Volatile.Read(ref streaming[i]) == 1);
            var deadline = DateTime.UtcNow + StartTimeout;
            while (Streaming() < cameras.Count)
            {
                if (DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"Only {Streaming()} of the ingest stage's {cameras.Count} decoders delivered a frame within {StartTimeout.TotalSeconds} s.");
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
            await Task.Delay(WarmUp, cancellationToken).ConfigureAwait(false);
            var self = Environment.ProcessId;
            var bareIds = bare.Select(p => p.Id).ToHashSet();
            var engineFfmpeg = ProcessStats.Children(self, "ffmpeg").Where(id => !bareIds.Contains(id)).ToList();
            if (engineFfmpeg.Count != cameras.Count)
                throw new InvalidOperationException($"Expected {cameras.Count} ffmpeg processes of the ingest stage, found {engineFfmpeg.Count}.");

            var bareBefore = bareIds.Sum(ProcessStats.CpuSeconds);
            var bareBytesBefore = bareBytes.Sum(b => Interlocked.Read(ref b));
            var selfBefore = ProcessStats.CpuSeconds(self) - ProcessStats.ThreadCpuSeconds(DrainThreadName);
            var ffmpegBefore = engineFfmpeg.Sum(ProcessStats.CpuSeconds);
            var framesBefore = Interlocked.Read(ref ingestFrames);
            await Task.Delay(window, cancellationToken).ConfigureAwait(false);
            var bareCpu = bareIds.Sum(ProcessStats.CpuSeconds) - bareBefore;
            var bareFrames = (bareBytes.Sum(b => Interlocked.Read(ref b)) - bareBytesBefore) / cameras[0].FrameLength;
            var ffmpegCpu = engineFfmpeg.Sum(ProcessStats.CpuSeconds) - ffmpegBefore;
            var selfCpu = ProcessStats.CpuSeconds(self) - ProcessStats.ThreadCpuSeconds(DrainThreadName) - selfBefore;
            var frames = Interlocked.Read(ref ingestFrames) - framesBefore;

            if (bare.FirstOrDefault(p => p.HasExited) is { } dead)
                throw new InvalidOperationException($"ffmpeg exited with {dead.ExitCode} during the measurement.");
            if (!ProcessStats.Children(self, "ffmpeg").Where(id => !bareIds.Contains(id)).Order().SequenceEqual(engineFfmpeg.Order()))
                throw new InvalidOperationException("An ffmpeg process of the ingest stage was restarted during the measurement.");
            return (new Result(bareCpu, bareCpu, bareFrames, cameras.Count), new Result(selfCpu + ffmpegCpu, ffmpegCpu, frames, cameras.Count));
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var process in bare)
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                process.Dispose();
            }
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One of the engine's ffmpeg command lines, writing into a pipe of the same capacity as the engine's,
    /// drained by a bare blocking read that keeps nothing.
    /// </summary>
    private static Process StartBare(CameraOptions camera, IngestOptions ingest, long[] bytes, int index)
    {
        var start = new ProcessStartInfo(ingest.FfmpegPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in FfmpegArguments.For(camera, SourceUrl.Parse(camera.Url), ingest))
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var stdout = process.StandardOutput.BaseStream;
        PipeCapacity.TryEnlarge(stdout, camera.FrameLength);
        new Thread(() => Drain(stdout, ref bytes[index])) { IsBackground = true, Name = DrainThreadName }.Start();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static void Drain(Stream pipe, ref long bytes)
    {
        var buffer = new byte[1 << 20];
        try
        {
            int n;
            while ((n = pipe.Read(buffer)) > 0)
                Interlocked.Add(ref bytes, n);
        }
        catch (IOException)
        {
            // ffmpeg killed at the end.
        }
    }
}
