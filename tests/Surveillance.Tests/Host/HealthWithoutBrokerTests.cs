using System.Net;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>A node that is up but cannot reach its broker is alive and not ready.</summary>
public sealed class HealthWithoutBrokerTests
{
    [Fact]
    public async Task Health_is_503_and_not_ready_while_the_broker_is_unreachable()
    {
        // Nothing listens on this port: the engine starts, its MQTT link never comes up.
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = FreePort.Next().ToString(),
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{engine.MetricsPort}"), Timeout = TimeSpan.FromSeconds(10) };

        var (status, health) = await ControlApiTests.WaitForHealthAsync(http, h => (string)h["status"]! == "ok");
        // Causality, not timing: the engine has started (status ok) and still the link is down.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False((bool)health["ready"]!);
        Assert.False((bool)health["mqttConnected"]!);
        Assert.Equal(Environment.ProcessId, (int)health["processId"]!);
    }
}
