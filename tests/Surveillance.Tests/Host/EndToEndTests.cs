using System.Text.Json;
using System.Text.RegularExpressions;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// The whole path on real parts: GStreamer RTSP server → ffmpeg → YOLOv5s → mosquitto → a subscriber.
/// </summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task A_person_on_an_RTSP_camera_reaches_a_grid_subscriber_on_mosquitto_with_the_cameras_position()
    {
        var video = await TestVideo.VtestH264Async();
        await using var broker = await MosquittoBroker.StartAsync();
        await using var rtsp = await RtspServer.StartAsync(video);
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port, "it/alerts/grid-e2e/#", TimeSpan.FromSeconds(10));

        await using (var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Node:Id"] = "node-e2e",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = broker.Port.ToString(),
            ["Mqtt:TopicPrefix"] = "it",
            ["Cameras:0:Id"] = "cam-e2e",
            ["Cameras:0:Name"] = "RTSP test camera",
            ["Cameras:0:Url"] = rtsp.Url,
            ["Cameras:0:Kind"] = "fixed",
            ["Cameras:0:Latitude"] = "22.5431",
            ["Cameras:0:Longitude"] = "114.0579",
            ["Cameras:0:GridId"] = "grid-e2e",
            ["Cameras:0:DetectFps"] = "5",
            ["Cameras:0:DetectWidth"] = "640",
            ["Cameras:0:DetectHeight"] = "480",
        }))
        {
            var (topic, payload) = await subscriber.WaitForAsync(
                (_, p) => JsonDocument.Parse(p).RootElement.GetProperty("label").GetString() == "person",
                TimeSpan.FromSeconds(30));

            Assert.Equal("it/alerts/grid-e2e/cam-e2e", topic);
            var alert = JsonDocument.Parse(payload).RootElement;
            Assert.Equal(1, alert.GetProperty("schemaVersion").GetInt32());
            Assert.True(Guid.TryParse(alert.GetProperty("id").GetString(), out _));
            Assert.Equal("cam-e2e", alert.GetProperty("cameraId").GetString());
            Assert.Equal("fixed", alert.GetProperty("cameraKind").GetString());
            Assert.Equal("grid-e2e", alert.GetProperty("gridId").GetString());
            Assert.Equal("node-e2e", alert.GetProperty("nodeId").GetString());
            Assert.True(alert.GetProperty("score").GetDouble() >= 0.5);

            var location = alert.GetProperty("location");
            Assert.Equal(22.5431, location.GetProperty("lat").GetDouble());
            Assert.Equal(114.0579, location.GetProperty("lon").GetDouble());
            Assert.Equal("camera", location.GetProperty("source").GetString());

            var box = alert.GetProperty("box");
            Assert.Equal(640, box.GetProperty("frameWidth").GetInt32());
            Assert.Equal(480, box.GetProperty("frameHeight").GetInt32());
            Assert.InRange(box.GetProperty("x1").GetInt32(), 0, box.GetProperty("x2").GetInt32() - 1);
            Assert.InRange(box.GetProperty("x2").GetInt32(), 1, 640);
            Assert.InRange(box.GetProperty("y1").GetInt32(), 0, box.GetProperty("y2").GetInt32() - 1);
            Assert.InRange(box.GetProperty("y2").GetInt32(), 1, 480);

            var observedAt = alert.GetProperty("observedAt").GetString()!;
            Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"), observedAt);
            Assert.InRange(DateTime.Parse(observedAt).ToUniversalTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));

            var metrics = await engine.ScrapeMetricsAsync();
            Assert.True(Exposition.Value(metrics, "surveillance_frames_decoded_total", "camera=\"cam-e2e\"") > 0);
            Assert.True(Exposition.Value(metrics, "surveillance_alerts_published_total", "camera=\"cam-e2e\"") >= 1);
            Assert.True(Exposition.Value(metrics, "surveillance_detections_total", "camera=\"cam-e2e\",label=\"person\"") >= 1);
            var analysed = Exposition.Value(metrics, "surveillance_frames_analysed_total", "camera=\"cam-e2e\"");
            var modelRuns = Exposition.Value(metrics, "surveillance_inference_duration_seconds_count", null);
            // One model run per analysed frame (batches of one), counted before the frame is; a scrape may fall
            // between the two for each detector worker.
            Assert.InRange(modelRuns, Math.Max(1, analysed), analysed + new Surveillance.Analytics.DetectorOptions().EffectiveWorkers);
        }

        // Stopping the engine reaps its decoder.
        Assert.Empty(await ProcessTable.WaitUntilNoChildrenNamedAsync("ffmpeg", TimeSpan.FromSeconds(10)));
    }
}
