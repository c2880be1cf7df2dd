using System.Text.Json;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>Two engines started with one configuration on one real mosquitto: the second gives way, the first never notices.</summary>
public sealed class NodeIdCollisionTests
{
    [Fact]
    public async Task A_second_engine_with_the_same_node_id_exits_with_a_clear_message_and_the_first_keeps_its_link()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var firstOutbox = new TemporaryOutbox();
        using var secondOutbox = new TemporaryOutbox();
        // No Node:Id: the default is the host name.
        var nodeId = Environment.MachineName;
        var topic = $"surveillance/nodes/{nodeId}/availability";

        await using var first = await EngineProcess.StartAsync(broker.Port, firstOutbox.Path, "Cameras:0:Id=cam-first");
        await using var watcher = await MqttTestSubscriber.ConnectAsync(broker.Port, topic, TimeSpan.FromSeconds(10));
        var (_, announced) = await watcher.WaitForAsync((_, p) => p.Length > 0, TimeSpan.FromSeconds(20));
        var firstInstance = JsonDocument.Parse(announced).RootElement.GetProperty("instanceId").GetString();
        Assert.Equal("online", JsonDocument.Parse(announced).RootElement.GetProperty("state").GetString());

        await using var second = await ChildProcess.StartAsync("dotnet",
            EngineProcess.Arguments(broker.Port, secondOutbox.Path, "Cameras:0:Id=cam-second"), readyLine: null, TimeSpan.FromSeconds(5));
        // It waits for the first one's heartbeat (every 15 s) to tell it from a stale retained message.
        var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(3, exitCode);
        Assert.Contains($"Node:Id: '{nodeId}' is already in use by a running engine (instance {firstInstance}", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Lost the link", first.Output, StringComparison.Ordinal);
        Assert.False(first.HasExited);
        // Nothing on the node's topic came from the second engine: no "online" of its own, no "offline" for the first.
        foreach (var (_, payload) in await watcher.CollectAsync(TimeSpan.FromSeconds(1)))
        {
            var message = JsonDocument.Parse(payload).RootElement;
            Assert.Equal(firstInstance, message.GetProperty("instanceId").GetString());
            Assert.Equal("online", message.GetProperty("state").GetString());
        }
        // The second never published alerts or camera status either.
        Assert.DoesNotContain("cam-second status", second.Output, StringComparison.Ordinal);
    }
}
