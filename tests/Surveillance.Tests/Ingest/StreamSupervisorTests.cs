using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Surveillance.Ingest;
using Surveillance.Ingest.Health;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Ingest;

/// <summary>The supervisor against real failures: a real RTSP server killed and restarted, a silent server, a server of garbage.</summary>
public sealed class StreamSupervisorTests(ITestOutputHelper output)
{
    /// <remarks>
    /// Resuming takes about a second (the reachability probe finds the port closed or already back, then ffmpeg's
    /// start; see SourceRecoveryTests and the bench for how long); the bound is a generous 15 s, which holds on a
    /// busy machine. What counts here is that it resumes every time and leaves no decoder behind.
    /// </remarks>
    [Fact]
    public async Task Frames_resume_each_time_the_RTSP_server_comes_back_20_times_and_no_ffmpeg_is_left_behind()
    {
        var video = await TestVideo.VtestH264Async();
        var server = await RtspServer.StartAsync(video);
        var port = server.Port;
        var ingest = new IngestOptions();
        var resumeTimes = new List<double>();
        try
        {
            await using (var stream = new SupervisedCamera(SupervisedCamera.Camera("restarted", server.Url), ingest))
            {
                Assert.NotNull(await stream.FirstFrameAfterAsync(DateTime.MinValue, TimeSpan.FromSeconds(15)));
                for (var cycle = 1; cycle <= 20; cycle++)
                {
                    await server.KillAsync();
                    await server.DisposeAsync();
                    await Task.Delay(500);
                    server = await RtspServer.StartAsync(video, port);
                    var back = DateTime.UtcNow;

                    var resumed = await stream.FirstFrameAfterAsync(back, TimeSpan.FromSeconds(15));
                    Assert.True(resumed is not null, $"cycle {cycle}: no frame within 15 s of the server's return; "
                        + $"resumed after (s): {string.Join(", ", resumeTimes.Select(t => t.ToString("0.00")))}");
                    resumeTimes.Add((resumed.Value - back).TotalSeconds);
                    // At most the one live decoder: every earlier ffmpeg was reaped.
                    Assert.InRange(ProcessTable.ChildrenNamed("ffmpeg").Count, 0, 1);
                    await Task.Delay(TimeSpan.FromSeconds(3.5));
                }

                var health = stream.Supervisor.Health.Snapshot();
                Assert.True(health.ReconnectsLastHour >= 20, $"{health.ReconnectsLastHour} reconnects counted");
                Assert.NotEqual(CameraState.Offline, health.State);
                // Twenty reconnects in an hour is not a good link, whatever the frame rate.
                Assert.Equal(ConnectionGrade.Poor, health.Grade);
            }
            output.WriteLine($"resumed after (s): {string.Join(", ", resumeTimes.Select(t => t.ToString("0.00")))}");
            Assert.Empty(await ProcessTable.WaitUntilNoChildrenNamedAsync("ffmpeg", TimeSpan.FromSeconds(5)));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <remarks>
    /// Not before the stall timeout (causality), and before ffmpeg's own 30 s socket timeout could have ended the
    /// decoder (so the watchdog did it): a generous window, where the stall is expected just after 3 s.
    /// </remarks>
    [Fact]
    public async Task A_server_that_accepts_but_never_sends_media_is_detected_as_stalled_by_the_watchdog_and_restarted()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var held = new ConcurrentBag<TcpClient>();
        using var acceptLoop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!acceptLoop.IsCancellationRequested)
                held.Add(await silent.AcceptTcpClientAsync(acceptLoop.Token)); // accept, read nothing, answer nothing
        });

        // ffmpeg's own socket timeout is longer than the stall timeout: the watchdog has to catch it.
        var ingest = new IngestOptions { SocketTimeoutSeconds = 30 };
        var started = DateTime.UtcNow;
        await using (var stream = new SupervisedCamera(SupervisedCamera.Camera("silent", $"rtsp://127.0.0.1:{port}/cam", stallTimeout: 3), ingest))
        {
            var deadline = DateTime.UtcNow.AddSeconds(25);
            while (stream.Supervisor.Health.Snapshot().StallsLastHour == 0 && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            var detectedAfter = (DateTime.UtcNow - started).TotalSeconds;
            output.WriteLine($"stall detected {detectedAfter:0.00} s after the start");

            var health = stream.Supervisor.Health.Snapshot();
            Assert.Equal(1, health.StallsLastHour);
            Assert.InRange(detectedAfter, 2.9, 25);
            Assert.Equal(CameraState.Offline, health.State);
            Assert.Contains("stalled", health.LastError, StringComparison.Ordinal);
            Assert.Equal(0, stream.FrameCount);

            // And it is restarted (a second connection arrives) after the backoff's first pause of about a second.
            deadline = DateTime.UtcNow.AddSeconds(20);
            while (held.Count < 2 && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            Assert.True(held.Count >= 2, $"{held.Count} connections");
        }
        await acceptLoop.CancelAsync();
        foreach (var client in held)
            client.Dispose();
        Assert.Empty(await ProcessTable.WaitUntilNoChildrenNamedAsync("ffmpeg", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_server_that_answers_with_garbage_is_retried_with_growing_pauses_and_nothing_crashes()
    {
        using var garbage = new TcpListener(IPAddress.Loopback, 0);
        garbage.Start();
        var port = ((IPEndPoint)garbage.LocalEndpoint).Port;
        var connections = new ConcurrentQueue<DateTime>();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            var junk = Enumerable.Range(0, 4096).Select(i => (byte)(i * 131 % 256)).ToArray();
            while (!stop.IsCancellationRequested)
            {
                using var client = await garbage.AcceptTcpClientAsync(stop.Token);
                connections.Enqueue(DateTime.UtcNow);
                await client.GetStream().WriteAsync(junk, stop.Token);
                await Task.Delay(200, stop.Token);
            }
        });

        await using (var stream = new SupervisedCamera(SupervisedCamera.Camera("garbage", $"rtsp://u:p@127.0.0.1:{port}/cam"), new IngestOptions()))
        {
            // Pauses of 1, 2, 4 and 8 s (±20%), each plus ffmpeg's failed attempt: five decoder starts within 60 s.
            // Started decoders are read from the camera's health: before each restart the supervisor also makes
            // sure the port answers, one more connection to the server each time.
            var starts = new List<DateTime> { DateTime.UtcNow };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (starts.Count < 5 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
                if (stream.Supervisor.Health.Snapshot().ReconnectsLastHour >= starts.Count)
                    starts.Add(DateTime.UtcNow);
            }
            var gaps = starts.Zip(starts.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
            output.WriteLine($"pauses between decoder starts (s): {string.Join(", ", gaps.Select(g => g.ToString("0.00")))}");
            Assert.True(starts.Count >= 5, $"{starts.Count} decoder starts in 60 s");
            // Growing: the fourth pause (8 s) is more than twice the first (1 s), whatever ffmpeg's attempts took;
            // at a steady pace it would be about the same.
            Assert.True(gaps[3] > 2 * gaps[0], $"pauses between decoder starts (s): {string.Join(", ", gaps.Select(g => g.ToString("0.00")))}");
            // Each start reached the server, and each restart was preceded by one probe: no more.
            Assert.InRange(connections.Count, 2 * starts.Count - 2, 2 * starts.Count);
            var health = stream.Supervisor.Health.Snapshot();
            Assert.Equal(CameraState.Offline, health.State);
            Assert.Equal(0, stream.FrameCount);
            Assert.NotNull(health.LastError);
            Assert.Contains("exited with code", health.LastError, StringComparison.Ordinal);
        }
        await stop.CancelAsync();
    }

    [Fact]
    public async Task On_an_impaired_link_the_stream_keeps_running_the_grade_shows_it_and_it_recovers_when_the_link_does()
    {
        var video = await TestVideo.VtestH264Async();
        await using var server = await RtspServer.StartAsync(video);
        // The H.264 copy of vtest.avi runs at about 140 kB/s: half of that, late and jittery, is a poor 4G cell.
        await using var relay = new ImpairedTcpRelay(server.Port, bytesPerSecond: 70_000);

        await using var stream = new SupervisedCamera(SupervisedCamera.Camera("impaired", $"rtsp://127.0.0.1:{relay.Port}/cam"), new IngestOptions());
        var impaired = await WatchAsync(stream, TimeSpan.FromSeconds(20));
        relay.Impaired = false;
        // The relay first delivers what it held back, then the 10 s rate window has to fill again: the rate climbs
        // for 15-25 s (seen in test runs) and may cross the good/fair line at 4.5 fps back and forth on its way up.
        var clear = await WatchAsync(stream, TimeSpan.FromSeconds(40));

        output.WriteLine($"impaired: {Describe(impaired)}");
        output.WriteLine($"clear:    {Describe(clear)}");
        // The stream never stopped for long: frames kept coming through the bad spell.
        Assert.True(impaired.Frames > 15, $"{impaired.Frames} frames through the impaired link");
        // The grade saw the bad link...
        Assert.Contains(impaired.Snapshots, h => h.State == CameraState.Degraded && h.Grade is ConnectionGrade.Fair or ConnectionGrade.Poor);
        // ...and the good one after it: online at the camera's rate in the last 8 s (one sample may dip when the
        // machine itself is busy: the grade is a rate over a few seconds).
        var settled = clear.Snapshots[^8..];
        var good = settled.Count(h => h.State == CameraState.Online && h.Grade == ConnectionGrade.Good && h.Fps is >= 4.5 and <= 5.5);
        Assert.True(good >= 7, $"online/good at 4.5-5.5 fps in only {good} of the last {settled.Count} samples");
    }

    private sealed record Watch(int Frames, List<CameraHealthSnapshot> Snapshots);

    private static async Task<Watch> WatchAsync(SupervisedCamera stream, TimeSpan duration)
    {
        var before = stream.FrameCount;
        var snapshots = new List<CameraHealthSnapshot>();
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            await Task.Delay(1000);
            snapshots.Add(stream.Supervisor.Health.Snapshot());
        }
        return new Watch(stream.FrameCount - before, snapshots);
    }

    private static string Describe(Watch watch) =>
        $"{watch.Frames} frames; " + string.Join(", ", watch.Snapshots.Select(h => $"{Names.Of(h.State)}/{Names.Of(h.Grade)}@{h.Fps:0.0}"));
}
