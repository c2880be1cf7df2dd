using Surveillance.Ingest;
using Surveillance.Ingest.Health;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Ingest;

/// <summary>
/// A camera whose RTSP server is gone for a long while: asked by cheap TCP probes rather than by ffmpeg starts,
/// and back soon after its server, not after the backoff has grown. How soon is measured by the bench
/// (<c>./bench.sh --recovery</c>); here the bound is loose and the causality is what counts.
/// </summary>
public sealed class SourceRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task After_30_s_away_a_camera_is_back_online_soon_after_its_server_without_ffmpeg_starts_during_the_outage()
    {
        var video = await TestVideo.VtestH264Async();
        var server = await RtspServer.StartAsync(video);
        var port = server.Port;
        try
        {
            await using var stream = new SupervisedCamera(SupervisedCamera.Camera("recovering", server.Url), new IngestOptions());
            Assert.NotNull(await stream.FirstFrameAfterAsync(DateTime.MinValue, TimeSpan.FromSeconds(20)));
            var startsBefore = stream.Supervisor.Health.Snapshot().ReconnectsLastHour;

            await server.KillAsync();
            await server.DisposeAsync();
            await Task.Delay(Outage);
            var away = stream.Supervisor.Health.Snapshot();
            Assert.Equal(CameraState.Offline, away.State);
            Assert.Contains($"127.0.0.1:{port} unreachable: connection refused", away.LastError, StringComparison.Ordinal);
            // At most the one restart right after the server went, before it was found gone; the backoff alone
            // would have started ffmpeg five times by now (after 1, 3, 7, 15 and 31 s).
            Assert.InRange(away.ReconnectsLastHour - startsBefore, 0, 1);

            server = await RtspServer.StartAsync(video, port);
            var back = DateTime.UtcNow;
            var resumed = await stream.FirstFrameAfterAsync(back, TimeSpan.FromSeconds(12));
            Assert.True(resumed is not null,
                "no frame within 12 s of the server's return (with the 1-60 s backoff alone the next attempt came about 33 s later)");
            output.WriteLine($"first frame {(resumed.Value - back).TotalSeconds:0.00} s after the server returned");

            var state = stream.Supervisor.Health.Snapshot();
            Assert.Equal(CameraState.Online, state.State);
            Assert.InRange(state.ReconnectsLastHour - startsBefore, 1, 2);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_server_that_accepts_connections_but_fails_is_still_retried_with_the_growing_backoff()
    {
        // A listener that takes the connection and closes it at once: reachable, but no stream.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                    (await listener.AcceptSocketAsync(stop.Token)).Dispose();
            }
            catch (OperationCanceledException)
            {
            }
        });

        await using (var stream = new SupervisedCamera(SupervisedCamera.Camera("refusing-media", $"rtsp://127.0.0.1:{port}/cam"), new IngestOptions()))
        {
            await Task.Delay(TimeSpan.FromSeconds(12));
            var health = stream.Supervisor.Health.Snapshot();
            // Backoff of 1, 2, 4, 8 s (±20%) after each failed start: 3 or 4 restarts in 12 s. A probe that
            // answered "reachable" by restarting at once would have made dozens.
            Assert.InRange(health.ReconnectsLastHour, 2, 5);
            Assert.Equal(0, stream.FrameCount);
        }
        await stop.CancelAsync();
        await accepting;
    }
}
