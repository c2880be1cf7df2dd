using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// The README's Quick start, word for word: <c>./run.sh</c> with nothing configured, then, from another terminal,
/// <c>mosquitto_sub -h 127.0.0.1 -t 'surveillance/#' -v</c>, which sends no client id of its own.
/// </summary>
[Collection(DefaultPorts.Name)]
public sealed class QuickStartTests
{
    private static readonly string[] ReadmeWatchCommand = ["-h", "127.0.0.1", "-t", "surveillance/#", "-v"];

    [Fact]
    public async Task Run_sh_with_its_defaults_serves_alerts_to_the_readmes_mosquitto_sub_in_MQTT_3_1_1_and_5()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.Contains("mosquitto_sub -h 127.0.0.1 -t 'surveillance/#' -v", readme, StringComparison.Ordinal);

        // run.sh builds the engine first: minutes on a small machine the first time.
        await using var engine = await ChildProcess.StartAsync("bash", [Path.Combine(RepoPaths.Root, "run.sh")],
            readyLine: "streaming", TimeSpan.FromMinutes(8));
        await using var watch = await ChildProcess.StartAsync("mosquitto_sub", ReadmeWatchCommand,
            readyLine: "surveillance/alerts/grid-001/demo-walkway {", TimeSpan.FromSeconds(120));
        await using var watch5 = await ChildProcess.StartAsync("mosquitto_sub", [.. ReadmeWatchCommand, "-V", "mqttv5"],
            readyLine: "surveillance/cameras/demo-walkway/status {", TimeSpan.FromSeconds(30));

        Assert.DoesNotContain("Connection error", watch.Output + watch5.Output, StringComparison.Ordinal);
        Assert.Contains("\"cameraId\":\"demo-walkway\"", watch.Output, StringComparison.Ordinal);
        await engine.StopGracefullyAsync(TimeSpan.FromSeconds(60));
    }
}
