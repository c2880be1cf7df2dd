using System.Text.Json;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// The engine as shipped: no broker configured, so it starts MQTTnet's in-process broker, and the demo
/// camera loops the bundled video. A second camera whose server is down must not hold the first back.
/// </summary>
public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task With_no_broker_configured_the_demo_camera_alerts_flow_on_the_embedded_broker_beside_a_dead_camera()
    {
        var mqttPort = FreePort.Next();
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Port"] = mqttPort.ToString(),
            ["Cameras:0:Url"] = RepoPaths.VtestAvi,
            ["Cameras:1:Id"] = "dead-camera",
            ["Cameras:1:Url"] = $"rtsp://viewer:TopSecret9@127.0.0.1:{FreePort.Next()}/live",
            ["Cameras:1:Kind"] = "patrol",
            ["Cameras:1:VehicleId"] = "van-9",
            ["Cameras:1:GridId"] = "grid-002",
        });
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(mqttPort, "surveillance/alerts/#", TimeSpan.FromSeconds(10));

        var (topic, payload) = await subscriber.WaitForAsync(
            (_, p) => JsonDocument.Parse(p).RootElement.GetProperty("label").GetString() == "person",
            TimeSpan.FromSeconds(30));

        // The shipped demo camera, as appsettings.json describes it.
        Assert.Equal("surveillance/alerts/grid-001/demo-walkway", topic);
        var alert = JsonDocument.Parse(payload).RootElement;
        Assert.Equal(31.2304, alert.GetProperty("location").GetProperty("lat").GetDouble());
        Assert.Equal(121.4737, alert.GetProperty("location").GetProperty("lon").GetDouble());
        // No Node:Id: the host name.
        Assert.Equal(Environment.MachineName, alert.GetProperty("nodeId").GetString());

        var metrics = await engine.ScrapeMetricsAsync();
        Assert.True(Exposition.CounterValue(metrics, "surveillance_decoder_exits_total", "camera=\"dead-camera\"") >= 1);
        Assert.Equal(0, Exposition.CounterValue(metrics, "surveillance_frames_decoded_total", "camera=\"dead-camera\""));
        Assert.True(Exposition.CounterValue(metrics, "surveillance_frames_decoded_total", "camera=\"demo-walkway\"") > 0);
        Assert.DoesNotContain("TopSecret9", metrics, StringComparison.Ordinal);
    }
}
