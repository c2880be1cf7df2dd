using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// More frames than the detectors can take, on real parts: three RTSP cameras at 10 fps each against one
/// single-threaded YOLOv5s worker, which analyses a few frames per second in all.
/// </summary>
public sealed class OverloadTests
{
    private static readonly string[] Cameras = ["overload-a", "overload-b", "overload-c"];

    [Fact]
    public async Task Under_overload_the_cameras_are_analysed_in_turn_and_every_frame_not_analysed_is_counted_as_dropped()
    {
        var video = await TestVideo.VtestH264Async();
        await using var broker = await MosquittoBroker.StartAsync();
        await using var rtsp = await RtspServer.StartAsync(video);
        var settings = new Dictionary<string, string>
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = broker.Port.ToString(),
            ["Detector:Workers"] = "1",
            ["Detector:Threads"] = "1",
        };
        for (var i = 0; i < Cameras.Length; i++)
        {
            settings[$"Cameras:{i}:Id"] = Cameras[i];
            settings[$"Cameras:{i}:Url"] = rtsp.Url;
            settings[$"Cameras:{i}:GridId"] = "grid-overload";
            settings[$"Cameras:{i}:Latitude"] = "22.5431";
            settings[$"Cameras:{i}:Longitude"] = "114.0579";
            settings[$"Cameras:{i}:DetectFps"] = "10";
            settings[$"Cameras:{i}:DetectWidth"] = "640";
            settings[$"Cameras:{i}:DetectHeight"] = "480";
            // Every frame taken goes to the detector, so that what is not analysed can only have been dropped.
            settings[$"Cameras:{i}:Motion:Enabled"] = "false";
        }

        await using var engine = await EngineUnderTest.StartAsync(settings);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var before = await engine.ScrapeMetricsAsync();
        while (Cameras.Any(c => Counter(before, "surveillance_frames_analysed_total", c) == 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            before = await engine.ScrapeMetricsAsync();
        }
        Assert.All(Cameras, c => Assert.True(Counter(before, "surveillance_frames_analysed_total", c) > 0, $"{c}: no frame analysed in 60 s"));

        // A stretch of at least ten more analysed frames per camera, however long this machine takes for it.
        deadline = DateTime.UtcNow.AddSeconds(120);
        var after = await engine.ScrapeMetricsAsync();
        while (Cameras.Any(c => Delta("surveillance_frames_analysed_total", c) < 10) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            after = await engine.ScrapeMetricsAsync();
        }

        var analysed = Cameras.Select(c => Delta("surveillance_frames_analysed_total", c)).ToArray();
        var summary = string.Join("; ", Cameras.Select((c, i) =>
            $"{c}: decoded {Delta("surveillance_frames_decoded_total", c)}, analysed {analysed[i]}, dropped {Delta("surveillance_frames_dropped_total", c)}"));
        Assert.True(analysed.Min() >= 10, $"not ten frames analysed per camera in 120 s: {summary}");

        // Overload: each camera offered more frames than the one worker took; the rest were dropped.
        foreach (var camera in Cameras)
            Assert.True(Delta("surveillance_frames_dropped_total", camera) > Delta("surveillance_frames_analysed_total", camera), summary);
        // In turn: every camera always has a frame waiting when its turn comes, so the counts differ by the one
        // camera whose frame is in the detector at either scrape, not by a share of the rate.
        Assert.True(analysed.Max() - analysed.Min() <= 2, summary);
        // Nothing vanishes: a frame decoded is analysed or dropped, but for the one waiting and the one in the
        // detector at either scrape.
        foreach (var camera in Cameras)
        {
            var unaccounted = Delta("surveillance_frames_decoded_total", camera)
                - Delta("surveillance_frames_analysed_total", camera) - Delta("surveillance_frames_dropped_total", camera);
            Assert.True(Math.Abs(unaccounted) <= 2, summary);
        }

        double Delta(string counter, string camera) => Counter(after, counter, camera) - Counter(before, counter, camera);
    }

    private static double Counter(string exposition, string name, string camera) =>
        Exposition.CounterValue(exposition, name, $"camera=\"{camera}\"");
}
