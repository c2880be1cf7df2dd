using System.Text.RegularExpressions;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>
/// Two engines in one process, each with its own node id, metrics port, outbox and camera, on one real
/// mosquitto broker: each one's scrape is its own, with none of the other's cameras or counts in it.
/// </summary>
public sealed partial class TwoEnginesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Each_engine_in_a_process_serves_only_its_own_cameras_and_counts()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var a = await EngineUnderTest.StartAsync(Engine("node-a", "cam-a", broker.Port));
        await using var b = await EngineUnderTest.StartAsync(Engine("node-b", "cam-b", broker.Port));

        // Both at work: frames decoded and a few analysed by each, however slowly this machine runs two engines.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string scrapeA, scrapeB;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            scrapeA = await a.ScrapeMetricsAsync();
            scrapeB = await b.ScrapeMetricsAsync();
        }
        while ((Analysed(scrapeA, "cam-a") < 3 || Analysed(scrapeB, "cam-b") < 3) && DateTime.UtcNow < deadline);
        output.WriteLine($"cam-a: decoded {Decoded(scrapeA, "cam-a")}, analysed {Analysed(scrapeA, "cam-a")}, model runs {ModelRuns(scrapeA)}");
        output.WriteLine($"cam-b: decoded {Decoded(scrapeB, "cam-b")}, analysed {Analysed(scrapeB, "cam-b")}, model runs {ModelRuns(scrapeB)}");
        Assert.True(Analysed(scrapeA, "cam-a") >= 3 && Analysed(scrapeB, "cam-b") >= 3, "not three frames analysed by each engine in 120 s");

        // Per-camera series: each scrape names its own camera and never the other's.
        Assert.True(Decoded(scrapeA, "cam-a") > 0);
        Assert.True(Decoded(scrapeB, "cam-b") > 0);
        Assert.Equal(["cam-a"], CamerasIn(scrapeA));
        Assert.Equal(["cam-b"], CamerasIn(scrapeB));

        // Series without a camera label count one engine's work: its model runs are its own analysed frames (one
        // per frame, counted just before it; a scrape may fall between the two for its one worker), not both engines'.
        Assert.InRange(ModelRuns(scrapeA), Analysed(scrapeA, "cam-a"), Analysed(scrapeA, "cam-a") + 1);
        Assert.InRange(ModelRuns(scrapeB), Analysed(scrapeB, "cam-b"), Analysed(scrapeB, "cam-b") + 1);

        // Each registry has the process' and the runtime's figures of its own.
        Assert.Contains("# TYPE process_cpu_seconds_total counter", scrapeA, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_cpu_seconds_total counter", scrapeB, StringComparison.Ordinal);

        // One engine stopping says nothing about the other: its link to the broker, and its counts, stay its own.
        await b.StopAsync();
        var stoppedB = await b.ExportMetricsAsync();
        Assert.Equal(0, Exposition.Value(stoppedB, "surveillance_mqtt_connected", null));
        var decodedByB = Decoded(stoppedB, "cam-b");
        var decodedByA = Decoded(await a.ScrapeMetricsAsync(), "cam-a");
        deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            scrapeA = await a.ScrapeMetricsAsync();
        }
        while (Decoded(scrapeA, "cam-a") <= decodedByA && DateTime.UtcNow < deadline);
        Assert.True(Decoded(scrapeA, "cam-a") > decodedByA, "engine A decoded nothing more in 30 s after engine B stopped");
        Assert.Equal(1, Exposition.Value(scrapeA, "surveillance_mqtt_connected", null));
        Assert.Equal(decodedByB, Decoded(await b.ExportMetricsAsync(), "cam-b"));
        Assert.Equal(["cam-a"], CamerasIn(scrapeA));
    }

    private static Dictionary<string, string> Engine(string nodeId, string cameraId, int brokerPort) => new()
    {
        ["Node:Id"] = nodeId,
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = brokerPort.ToString(),
        ["Mqtt:TopicPrefix"] = "two",
        // The smaller model, one worker on one thread each: two engines share this machine's cores.
        ["Detector:Model"] = RepoPaths.NanoDet,
        ["Detector:Workers"] = "1",
        ["Detector:Threads"] = "1",
        ["Cameras:0:Id"] = cameraId,
        ["Cameras:0:Url"] = RepoPaths.VtestAvi,
        ["Cameras:0:DetectFps"] = "5",
        ["Cameras:0:DetectWidth"] = "320",
        ["Cameras:0:DetectHeight"] = "240",
        // Every frame taken goes to the detector, so that model runs and analysed frames go together.
        ["Cameras:0:Motion:Enabled"] = "false",
    };

    private static double Decoded(string scrape, string camera) =>
        Exposition.CounterValue(scrape, "surveillance_frames_decoded_total", $"camera=\"{camera}\"");

    private static double Analysed(string scrape, string camera) =>
        Exposition.CounterValue(scrape, "surveillance_frames_analysed_total", $"camera=\"{camera}\"");

    private static double ModelRuns(string scrape) =>
        Exposition.CounterValue(scrape, "surveillance_inference_duration_seconds_count", null);

    /// <summary>Every camera any series of the scrape is labelled with.</summary>
    private static string[] CamerasIn(string scrape) =>
        [.. CameraLabel().Matches(scrape).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex("""(?m)^surveillance_\w+\{(?:[^}]*,)?camera="([^"]*)"[,}]""")]
    private static partial Regex CameraLabel();
}
