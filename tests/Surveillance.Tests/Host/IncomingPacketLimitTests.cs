using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>The engine tells the broker how large a packet it takes; a real mosquitto keeps anything larger away from it.</summary>
public sealed class IncomingPacketLimitTests
{
    [Fact]
    public async Task A_vehicle_position_larger_than_Mqtt_MaxIncomingPacketBytes_never_reaches_the_engine_and_the_next_one_does()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Host"] = "127.0.0.1", ["Mqtt:Port"] = broker.Port.ToString(), ["Vehicles:Ids:0"] = "car-limit",
        });
        var before = Exposition.CounterValue(await engine.ScrapeMetricsAsync(), "surveillance_gps_fixes_rejected_total", "reason=\"too-large\"");

        using var unit = new MqttClientFactory().CreateMqttClient();
        await unit.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port)
            .WithClientId($"vehicle-{Guid.NewGuid():N}").WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        async Task PublishAsync(byte[] payload) => await unit.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("surveillance/vehicles/car-limit/position").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        // Wait until the engine is subscribed: a valid fix gets through.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        double accepted = 0;
        while (accepted == 0 && DateTime.UtcNow < deadline)
        {
            await PublishAsync(Fix());
            await Task.Delay(500);
            accepted = Exposition.CounterValue(await engine.ScrapeMetricsAsync(), "surveillance_gps_fixes_accepted_total", "vehicle=\"car-limit\"");
        }
        Assert.True(accepted > 0, "no fix of car-limit was accepted");

        // 100 KiB: over the engine's 64 KiB limit, sent between two valid fixes.
        await PublishAsync(Encoding.UTF8.GetBytes($$"""{"lat":31.2,"lon":121.4,"padding":"{{new string('x', 100 * 1024)}}"}"""));
        var acceptedBefore = accepted;
        await PublishAsync(Fix());
        deadline = DateTime.UtcNow.AddSeconds(20);
        string exposition;
        do
        {
            await Task.Delay(200);
            exposition = await engine.ScrapeMetricsAsync();
        }
        while (Exposition.CounterValue(exposition, "surveillance_gps_fixes_accepted_total", "vehicle=\"car-limit\"") <= acceptedBefore
               && DateTime.UtcNow < deadline);

        Assert.True(Exposition.CounterValue(exposition, "surveillance_gps_fixes_accepted_total", "vehicle=\"car-limit\"") > acceptedBefore,
            "the fix after the oversized one did not arrive: the link was lost over it");
        // Had it reached the engine, the parser would have refused it as too large.
        Assert.Equal(before, Exposition.CounterValue(exposition, "surveillance_gps_fixes_rejected_total", "reason=\"too-large\""));
    }

    private static byte[] Fix() => Encoding.UTF8.GetBytes(
        $$"""{"lat":31.2304,"lon":121.4737,"fixTime":"{{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","heading":0,"speed":0,"accuracy":3}""");
}
