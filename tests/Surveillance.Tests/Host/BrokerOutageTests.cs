using System.Text.Json;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>
/// Delivery through a real broker outage and a real crash: what a grid subscriber receives, checked with
/// the payload's <c>id</c> (dedupe) and per-camera <c>seq</c> (gaps).
/// </summary>
public sealed class BrokerOutageTests(ITestOutputHelper output)
{
    /// <remarks>
    /// Each test names its cameras apart (<paramref name="test"/>): the engine's counters live as long as the
    /// test process, and one test's acknowledgements must not count for another's.
    /// </remarks>
    private static Dictionary<string, string> Engine(int brokerPort, string outbox, string test) => new()
    {
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = brokerPort.ToString(),
        ["Mqtt:TopicPrefix"] = "out",
        ["Mqtt:TimeoutSeconds"] = "3",
        ["Alerts:UpdateIntervalSeconds"] = "1",
        ["Outbox:Path"] = outbox,
        ["Cameras:0:Id"] = $"{test}-a",
        ["Cameras:0:Url"] = RepoPaths.VtestAvi,
        ["Cameras:1:Id"] = $"{test}-b",
        ["Cameras:1:Url"] = RepoPaths.VtestAvi,
        ["Cameras:1:GridId"] = "grid-002",
        ["Cameras:1:Latitude"] = "31.2",
        ["Cameras:1:Longitude"] = "121.4",
        ["Cameras:1:DetectFps"] = "2",
    };

    [Fact]
    public async Task Every_alert_produced_during_a_60_s_broker_outage_arrives_once_in_order_without_a_gap()
    {
        using var outbox = new TemporaryOutbox();
        await using var broker = await MosquittoBroker.StartAsync(persistent: true);
        await using var dispatch = await MqttTestSubscriber.ConnectAsync(broker.Port, "out/alerts/#", TimeSpan.FromSeconds(10), persistentSession: "grid-dispatch");
        await using var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, outbox.Path, "outage"));

        var first = await dispatch.WaitForAsync((_, _) => true, TimeSpan.FromSeconds(30));
        await broker.StopAsync();
        var outageStarted = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(60));
        var metrics = await engine.ScrapeMetricsAsync();
        var heldDuringOutage = Exposition.Value(metrics, "surveillance_outbox_depth", null);
        output.WriteLine($"outbox held {heldDuringOutage} alerts after 60 s without a broker");
        Assert.True(heldDuringOutage >= 30, "alerts kept coming during the outage");
        await broker.StartAsync();

        // Wait until the outbox is empty, then stop producing and take everything that arrived.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Exposition.Value(await engine.ScrapeMetricsAsync(), "surveillance_outbox_depth", null) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(500);
        var produced = ProducedPerCamera(await engine.ScrapeMetricsAsync(), "outage");
        await engine.StopAsync();
        await Task.Delay(1000);
        var received = new[] { first }.Concat(await dispatch.CollectAsync(TimeSpan.FromSeconds(2)))
            .Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone()).ToList();

        Assert.True(dispatch.Reconnects >= 1);
        AssertCompleteAndOrdered(received, produced, output);
        Assert.Contains(received, a => a.GetProperty("observedAt").GetDateTime().ToUniversalTime() > outageStarted.AddSeconds(30));
    }

    [Fact]
    public async Task Alerts_stored_before_the_engine_is_killed_during_an_outage_go_out_after_it_restarts()
    {
        using var outbox = new TemporaryOutbox();
        await using var broker = await MosquittoBroker.StartAsync(persistent: true);
        await using var dispatch = await MqttTestSubscriber.ConnectAsync(broker.Port, "out/alerts/#", TimeSpan.FromSeconds(10), persistentSession: "grid-dispatch-2");
        await broker.StopAsync();

        var metricsPort = FreePort.Next();
        string[] Args(int port) =>
        [
            Path.Combine(AppContext.BaseDirectory, "Surveillance.Host.dll"),
            $"--Detector:Model={RepoPaths.YoloV5s}", $"--Metrics:Port={port}",
            .. Engine(broker.Port, outbox.Path, "killed").Select(kv => $"--{kv.Key}={kv.Value}"),
        ];
        double storedBeforeKill;
        await using (var first = await ChildProcess.StartAsync("dotnet", Args(metricsPort), readyLine: "streaming", TimeSpan.FromSeconds(60)))
        {
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            do
            {
                await Task.Delay(1000);
                storedBeforeKill = Exposition.Value(await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics"), "surveillance_outbox_depth", null);
            }
            while (storedBeforeKill < 10 && DateTime.UtcNow < deadline);
            System.Diagnostics.Process.GetProcessById(first.Id).Kill(); // SIGKILL, broker still down
        }
        output.WriteLine($"{storedBeforeKill} alerts were stored when the engine was killed");
        Assert.True(storedBeforeKill >= 10);

        await broker.StartAsync();
        await using (var second = await ChildProcess.StartAsync("dotnet", Args(FreePort.Next()), readyLine: "streaming", TimeSpan.FromSeconds(60)))
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var received = new List<JsonElement>();
            while (received.Select(a => a.GetProperty("id").GetString()).Distinct().Count() < storedBeforeKill && DateTime.UtcNow < deadline)
                received.AddRange((await dispatch.CollectAsync(TimeSpan.FromSeconds(1))).Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone()));

            // Every camera's numbering starts at 1 and has no hole up to what the first engine had stored.
            var unique = received.DistinctBy(a => a.GetProperty("id").GetString()).ToList();
            Assert.True(unique.Count >= storedBeforeKill, $"{unique.Count} of {storedBeforeKill} stored alerts arrived");
            foreach (var camera in unique.GroupBy(a => a.GetProperty("cameraId").GetString()))
            {
                var seqs = camera.Select(a => a.GetProperty("seq").GetInt64()).Order().ToList();
                Assert.Equal(1, seqs[0]);
                Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
            }
            Assert.Contains("from before the restart", second.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_broker_that_hangs_without_closing_the_connection_is_detected_and_the_link_rebuilt()
    {
        await using var broker = await MosquittoBroker.StartAsync(persistent: true);
        await using var dispatch = await MqttTestSubscriber.ConnectAsync(broker.Port, "out/alerts/#", TimeSpan.FromSeconds(10), persistentSession: "grid-dispatch-3");
        var logs = new RecordingLoggerProvider();
        using var outbox = new TemporaryOutbox();
        await using var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, outbox.Path, "hung"), logs);
        await dispatch.WaitForAsync((_, _) => true, TimeSpan.FromSeconds(30));

        // The TCP connection stays up: no disconnect event will ever come from the client library.
        await broker.FreezeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (!logs.Lines.Any(l => l.Contains("Lost the link to MQTT broker", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        var lost = logs.Lines.FirstOrDefault(l => l.Contains("Lost the link to MQTT broker", StringComparison.Ordinal));
        output.WriteLine(lost ?? "(never noticed)");
        Assert.NotNull(lost);
        await broker.ThawAsync();

        deadline = DateTime.UtcNow.AddSeconds(60);
        while (logs.Lines.Count(l => l.Contains("Connected to MQTT broker", StringComparison.Ordinal)) < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.True(logs.Lines.Count(l => l.Contains("Connected to MQTT broker", StringComparison.Ordinal)) >= 2, "reconnected after the broker woke up");
        while (Exposition.Value(await engine.ScrapeMetricsAsync(), "surveillance_outbox_depth", null) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(500);
        var produced = ProducedPerCamera(await engine.ScrapeMetricsAsync(), "hung");
        await engine.StopAsync();
        await Task.Delay(1000);
        AssertCompleteAndOrdered([.. dispatch.History.Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone())], produced, output);
    }

    private static Dictionary<string, double> ProducedPerCamera(string metrics, string test) => new()
    {
        [$"{test}-a"] = Exposition.Value(metrics, "surveillance_alerts_published_total", $"camera=\"{test}-a\""),
        [$"{test}-b"] = Exposition.Value(metrics, "surveillance_alerts_published_total", $"camera=\"{test}-b\""),
    };

    /// <summary>After dedupe by id: each camera's seq runs 1, 2, 3... with no gap, in arrival order, and matches what was produced.</summary>
    internal static void AssertCompleteAndOrdered(List<JsonElement> received, Dictionary<string, double> produced, ITestOutputHelper output)
    {
        var unique = received.DistinctBy(a => a.GetProperty("id").GetString()).ToList();
        output.WriteLine($"{received.Count} messages received, {unique.Count} distinct alerts");
        foreach (var camera in unique.GroupBy(a => a.GetProperty("cameraId").GetString()!))
        {
            var seqs = camera.Select(a => a.GetProperty("seq").GetInt64()).ToList();
            output.WriteLine($"{camera.Key}: seq {seqs.First()}..{seqs.Last()} ({seqs.Count} alerts)");
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
            // The same id always carries the same seq: a retry, never a new number.
            Assert.All(received.Where(a => a.GetProperty("cameraId").GetString() == camera.Key),
                a => Assert.Equal(camera.Single(u => u.GetProperty("id").GetString() == a.GetProperty("id").GetString()).GetProperty("seq").GetInt64(), a.GetProperty("seq").GetInt64()));
            Assert.True(seqs.Count >= produced[camera.Key], $"{camera.Key}: {seqs.Count} received, {produced[camera.Key]} acknowledged");
        }
    }
}
