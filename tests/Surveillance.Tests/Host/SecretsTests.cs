using System.Text;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// Passwords given in camera URLs must never leave the engine: not in logs, metrics, status messages or
/// alerts. Everything the engine emitted while streaming and while failing is searched for them.
/// </summary>
public sealed class SecretsTests
{
    private const string LivePassword = "Live-S3CRET-pw";
    private const string DeadPassword = "Dead-S3CRET-pw";

    [Fact]
    public async Task Camera_passwords_appear_nowhere_in_what_the_engine_emits()
    {
        var video = await TestVideo.VtestH264Async();
        await using var broker = await MosquittoBroker.StartAsync();
        await using var rtsp = await RtspServer.StartAsync(video);
        await using var everything = await MqttTestSubscriber.ConnectAsync(broker.Port, "#", TimeSpan.FromSeconds(10));
        var logs = new RecordingLoggerProvider();
        var deadPort = FreePort.Next();

        string metrics;
        await using (var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = broker.Port.ToString(),
            ["Ingest:Fixed:BackoffMaxSeconds"] = "2",
            ["Cameras:0:Id"] = "live",
            ["Cameras:0:Url"] = $"rtsp://admin:{LivePassword}@127.0.0.1:{rtsp.Port}/cam",
            ["Cameras:1:Id"] = "dead",
            ["Cameras:1:Url"] = $"rtsp://operator:{DeadPassword}@127.0.0.1:{deadPort}/stream?token={DeadPassword}",
            ["Cameras:1:GridId"] = "grid-001",
            ["Cameras:1:Latitude"] = "31.2",
            ["Cameras:1:Longitude"] = "121.4",
        }, logs))
        {
            // Stream long enough for an alert from the live camera and for the dead one to be found unreachable.
            await everything.WaitForAsync((topic, _) => topic.StartsWith("surveillance/alerts/", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(4));
            metrics = await engine.ScrapeMetricsAsync();
        }

        await everything.CollectAsync(TimeSpan.FromSeconds(1));
        // Everything received, the messages the wait above went through included.
        var published = string.Join("\n", everything.History.Select(m => m.Topic + " " + Encoding.UTF8.GetString(m.Payload)));
        var logged = string.Join("\n", logs.Lines);

        // Things were said about both cameras, with their URLs redacted...
        Assert.Contains("surveillance/cameras/dead/status", published, StringComparison.Ordinal);
        Assert.Contains("surveillance/cameras/live/status", published, StringComparison.Ordinal);
        Assert.Contains($"rtsp://***@127.0.0.1:{deadPort}/stream?***", published, StringComparison.Ordinal);
        Assert.Contains("Connection refused", logged, StringComparison.Ordinal); // ffmpeg's own words got through
        Assert.Contains("rtsp://***@127.0.0.1", logged, StringComparison.Ordinal);
        Assert.Contains("surveillance_camera_state{camera=\"dead\",state=\"offline\"} 1", metrics, StringComparison.Ordinal);
        // The reachability probe's words too: the host and port alone.
        Assert.Contains($"127.0.0.1:{deadPort} unreachable", published, StringComparison.Ordinal);

        // ...and the passwords nowhere.
        foreach (var secret in new[] { LivePassword, DeadPassword, "S3CRET" })
        {
            Assert.DoesNotContain(secret, logged, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, published, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
        }
    }
}
