using System.Text.Json;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>What a dashboard that connects now reads of each camera: the retained status on a real mosquitto.</summary>
public sealed class RetainedCameraStatusTests
{
    /// <summary>The retained status of each camera, as a client connecting now gets it.</summary>
    private static async Task<Dictionary<string, JsonElement>> RetainedStatusesAsync(int brokerPort, int cameras)
    {
        await using var late = await MqttTestSubscriber.ConnectAsync(brokerPort, "surveillance/cameras/+/status", TimeSpan.FromSeconds(10));
        var statuses = new Dictionary<string, JsonElement>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (statuses.Count < cameras && DateTime.UtcNow < deadline)
        {
            foreach (var (_, payload) in await late.CollectAsync(TimeSpan.FromSeconds(1)))
            {
                var status = JsonDocument.Parse(payload).RootElement.Clone();
                statuses[status.GetProperty("cameraId").GetString()!] = status;
            }
        }
        return statuses;
    }

    [Fact]
    public async Task A_camera_whose_RTSP_server_flapped_three_times_reads_online_at_full_rate_with_the_hour_in_its_grade()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var video = await TestVideo.VtestH264Async();
        var server = await RtspServer.StartAsync(video);
        var port = server.Port;
        try
        {
            await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
            {
                ["Mqtt:Host"] = "127.0.0.1", ["Mqtt:Port"] = broker.Port.ToString(),
                ["Cameras:0:Id"] = "flapping", ["Cameras:0:Url"] = server.Url,
            });
            await using var watcher = await MqttTestSubscriber.ConnectAsync(broker.Port, "surveillance/cameras/flapping/status", TimeSpan.FromSeconds(10));
            await watcher.WaitForAsync((_, p) => State(p) == "online", TimeSpan.FromSeconds(60));

            for (var outage = 1; outage <= 3; outage++)
            {
                await server.KillAsync();
                await server.DisposeAsync();
                await watcher.WaitForAsync((_, p) => State(p) == "offline", TimeSpan.FromSeconds(30));
                await Task.Delay(TimeSpan.FromSeconds(5));
                server = await RtspServer.StartAsync(video, port);
                await watcher.WaitForAsync((_, p) => State(p) == "online", TimeSpan.FromSeconds(30));
            }
            // Long enough for the rate to be measured again over whole seconds (it is not judged in the first 3 s).
            await Task.Delay(TimeSpan.FromSeconds(8));

            var status = (await RetainedStatusesAsync(broker.Port, 1))["flapping"];
            Assert.Equal("online", status.GetProperty("state").GetString());
            Assert.InRange(status.GetProperty("fps").GetDouble(), 4.5, 5.5);
            Assert.True(status.GetProperty("reconnectsLastHour").GetInt32() >= 3, status.ToString());
            // Three reconnects within the hour: no longer a good link, though it streams as it should now.
            Assert.NotEqual("good", status.GetProperty("grade").GetString());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task After_a_clean_stop_every_cameras_retained_status_and_the_nodes_availability_read_offline()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var outbox = new TemporaryOutbox();
        var server = await RtspServer.StartAsync(await TestVideo.VtestH264Async());
        try
        {
            await using var engine = await EngineProcess.StartAsync(broker.Port, outbox.Path,
                "Node:Id=node-clean-stop", "Cameras:0:Id=walkway-file", $"Cameras:0:Url={RepoPaths.VtestAvi}",
                "Cameras:1:Id=walkway-rtsp", $"Cameras:1:Url={server.Url}", "Cameras:1:Latitude=31.23", "Cameras:1:Longitude=121.47",
                "Cameras:1:GridId=grid-001");
            await using (var watcher = await MqttTestSubscriber.ConnectAsync(broker.Port, "surveillance/cameras/+/status", TimeSpan.FromSeconds(10)))
            {
                var online = new HashSet<string>();
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (online.Count < 2 && DateTime.UtcNow < deadline)
                {
                    var (topic, payload) = await watcher.WaitForAsync((_, p) => State(p) == "online", TimeSpan.FromSeconds(60));
                    online.Add(topic);
                }
                Assert.Equal(2, online.Count);
            }

            await engine.StopGracefullyAsync(TimeSpan.FromSeconds(60));
            var exitCode = await engine.WaitForExitAsync(TimeSpan.FromSeconds(5));
            Assert.True(exitCode == 0, $"exit code {exitCode}: {engine.Output}");

            var statuses = await RetainedStatusesAsync(broker.Port, 2);
            Assert.Equal(["walkway-file", "walkway-rtsp"], statuses.Keys.Order());
            foreach (var (camera, status) in statuses)
            {
                Assert.True(status.GetProperty("state").GetString() == "offline", $"{camera}: {status}");
                Assert.Equal("engine stopped", status.GetProperty("lastError").GetString());
            }
            await using var nodes = await MqttTestSubscriber.ConnectAsync(broker.Port, "surveillance/nodes/node-clean-stop/availability", TimeSpan.FromSeconds(10));
            var (_, availability) = await nodes.WaitForAsync((_, p) => p.Length > 0, TimeSpan.FromSeconds(10));
            Assert.Equal("offline", State(availability));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static string? State(byte[] payload) => JsonDocument.Parse(payload).RootElement.GetProperty("state").GetString();
}
