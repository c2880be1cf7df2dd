using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Cameras;

/// <summary>
/// Cameras that come and go while the engine runs, through its inventory file, with the real engine, ffmpeg,
/// model and broker: the cameras that change start or stop, every other camera keeps its decoder, tracks and events.
/// </summary>
public sealed class CameraDirectoryTests(ITestOutputHelper output)
{
    private const string Prefix = "inv";

    private static Dictionary<string, string> Engine(int brokerPort, TemporaryInventory inventory) => new()
    {
        ["Node:Id"] = "node-inventory",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = brokerPort.ToString(),
        ["Mqtt:TopicPrefix"] = Prefix,
        ["Cameras:File"] = inventory.Path,
        ["Cameras:0:Id"] = "cam-config",
        ["Cameras:0:Url"] = inventory.VideoOf("cam-config"),
        ["Cameras:0:DetectFps"] = "4",
        ["Cameras:0:DetectWidth"] = "320",
        ["Cameras:0:DetectHeight"] = "240",
        ["Alerts:UpdateIntervalSeconds"] = "1",
    };

    [Fact]
    public async Task Twenty_cameras_written_into_the_inventory_file_come_online_and_removed_again_leave_no_decoder_and_end_their_events_removed()
    {
        using var inventory = new TemporaryInventory();
        inventory.Write([]);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Prefix}/#", TimeSpan.FromSeconds(10));
        var console = new ConsoleView(subscriber, Prefix);
        await using var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, inventory));
        await console.UntilAsync(c => c.StateOf("cam-config") == "online", TimeSpan.FromSeconds(30), "the configured camera online");

        var ids = Enumerable.Range(0, 20).Select(i => $"cam-{i:00}").ToArray();
        var written = Stopwatch.StartNew();
        inventory.Write(ids.Select(id => inventory.Camera(id)));
        var online = new Dictionary<string, TimeSpan>();
        await console.UntilAsync(c =>
        {
            foreach (var id in ids.Where(id => !online.ContainsKey(id) && c.StateOf(id) == "online"))
                online[id] = written.Elapsed;
            return online.Count == ids.Length;
        }, TimeSpan.FromSeconds(30), "all twenty cameras online");
        output.WriteLine($"online after {string.Join(", ", online.Values.Order().Select(t => $"{t.TotalSeconds:0.0}"))} s");
        Assert.All(online, o => Assert.True(o.Value < TimeSpan.FromSeconds(10), $"{o.Key} online only after {o.Value.TotalSeconds:0.0} s"));
        Assert.All(ids, id => Assert.Single(inventory.DecodersOf(id)));

        // People walk through the video all the time: wait until some of the new cameras have events open.
        await console.UntilAsync(c => ids.Count(id => c.OpenEvents(id).Count > 0) >= 3, TimeSpan.FromSeconds(90), "events open on three cameras");
        var configDecoder = Assert.Single(inventory.DecodersOf("cam-config"));

        var removed = DateTime.UtcNow;
        inventory.Write([]);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (ids.Any(id => inventory.DecodersOf(id).Count > 0) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.All(ids, id => Assert.Empty(inventory.DecodersOf(id)));

        await console.UntilAsync(c => ids.All(id => c.OpenEvents(id).Count == 0 && c.LatestStatus(id) is { Length: 0 }), TimeSpan.FromSeconds(10),
            "every event of the removed cameras ended and their status withdrawn");
        var ends = ids.SelectMany(id => console.Alerts(id)).Where(a => a.GetProperty("type").GetString() == "end").ToList();
        var endedRemoved = ends.Where(e => e.GetProperty("endReason").GetString() == "removed").ToList();
        output.WriteLine($"{endedRemoved.Count} events ended 'removed'");
        Assert.True(endedRemoved.Count >= 3, $"only {endedRemoved.Count} events ended 'removed'");
        // Any other end was decided on a frame from before the engine removed its camera: the file is read within a
        // second of the write, so the removal is when the engine stopped the camera, as its 'removed' ends say (the
        // cameras stop together; one without such an end is bounded by the last camera's stop).
        static DateTime ObservedAt(JsonElement e) => e.GetProperty("observedAt").GetDateTime().ToUniversalTime();
        var stopped = endedRemoved.GroupBy(e => e.GetProperty("cameraId").GetString()!).ToDictionary(g => g.Key, g => g.Min(ObservedAt));
        var lastStop = stopped.Values.Max();
        Assert.True(stopped.Values.Min() >= removed, "an event ended 'removed' before the file was written");
        Assert.All(ends.Except(endedRemoved), e => Assert.True(ObservedAt(e) <= stopped.GetValueOrDefault(e.GetProperty("cameraId").GetString()!, lastStop)));

        // The configured camera never noticed.
        Assert.Equal([configDecoder], inventory.DecodersOf("cam-config"));
        Assert.Equal("online", console.StateOf("cam-config"));
    }

    [Fact]
    public async Task Editing_one_cameras_rules_restarts_that_camera_only_the_others_keep_their_decoder_and_their_tracks()
    {
        using var inventory = new TemporaryInventory();
        JsonObject[] cameras = [inventory.Camera("cam-edited"), inventory.Camera("cam-kept-a"), inventory.Camera("cam-kept-b")];
        inventory.Write(cameras);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Prefix}/#", TimeSpan.FromSeconds(10));
        var console = new ConsoleView(subscriber, Prefix);
        await using var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, inventory));
        string[] ids = ["cam-edited", "cam-kept-a", "cam-kept-b"];
        await console.UntilAsync(c => ids.All(id => c.OpenEvents(id).Count > 0), TimeSpan.FromSeconds(90), "events open on every camera");

        var decoders = ids.ToDictionary(id => id, id => Assert.Single(inventory.DecodersOf(id)));
        var openBefore = ids.ToDictionary(id => id, id => console.OpenEvents(id));
        var highestTrack = ids.ToDictionary(id => id, id => console.Alerts(id).Max(a => a.GetProperty("trackId").GetInt64()));

        var edited = DateTime.UtcNow;
        cameras[0]["Rules"]![0]!["Severity"] = "high";
        inventory.Write(cameras);

        // The edited camera ends its events 'reconfigured' and comes back with a new decoder and a new tracker.
        await console.UntilAsync(c => openBefore["cam-edited"].All(e => c.EndOf(e) is not null), TimeSpan.FromSeconds(15), "the edited camera's events ended");
        Assert.All(openBefore["cam-edited"], e => Assert.Equal("reconfigured", console.EndOf(e)!.Value.GetProperty("endReason").GetString()));
        await console.UntilAsync(c => c.Alerts("cam-edited").Any(a => a.GetProperty("severity").GetString() == "high"), TimeSpan.FromSeconds(60),
            "an event of the edited camera under its new rule");
        var newDecoder = Assert.Single(inventory.DecodersOf("cam-edited"));
        Assert.NotEqual(decoders["cam-edited"], newDecoder);

        // The others were not touched: the same ffmpeg, no event ended for the edit, and their trackers go on counting.
        await console.CollectAsync(TimeSpan.FromSeconds(3));
        foreach (var id in ids[1..])
        {
            Assert.Equal([decoders[id]], inventory.DecodersOf(id));
            Assert.DoesNotContain(console.Alerts(id), a => a.GetProperty("type").GetString() == "end"
                && a.GetProperty("endReason").GetString() is "reconfigured" or "removed" or "shutdown" or "offline");
            var later = console.Alerts(id).Where(a => a.GetProperty("observedAt").GetDateTime().ToUniversalTime() > edited).ToList();
            Assert.NotEmpty(later);
            // Track ids restart from 1 in a new tracker; these go on from where they were.
            Assert.All(later.Where(a => a.GetProperty("type").GetString() == "new"),
                a => Assert.True(a.GetProperty("trackId").GetInt64() > highestTrack[id], $"{id}: track {a.GetProperty("trackId")} after the edit"));
        }
    }

    [Fact]
    public async Task A_broken_record_is_reported_by_index_and_id_and_every_good_camera_runs()
    {
        using var inventory = new TemporaryInventory();
        var broken = inventory.Camera("cam-broken");
        broken["Url"] = "rtsp://";
        var unknownKey = inventory.Camera("cam-typo");
        unknownKey["DetectFsp"] = 4;
        inventory.Write([inventory.Camera("cam-good-0"), broken, inventory.Camera("cam-good-1"), unknownKey]);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Prefix}/#", TimeSpan.FromSeconds(10));
        var console = new ConsoleView(subscriber, Prefix);
        var logs = new RecordingLoggerProvider();
        await using var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, inventory), logs);

        await console.UntilAsync(c => c.StateOf("cam-good-0") == "online" && c.StateOf("cam-good-1") == "online", TimeSpan.FromSeconds(30),
            "the good cameras online");
        Assert.Contains(logs.Lines, l => l.Contains("[1]", StringComparison.Ordinal) && l.Contains("cam-broken", StringComparison.Ordinal)
            && l.Contains("Url", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("[3]", StringComparison.Ordinal) && l.Contains("cam-typo", StringComparison.Ordinal)
            && l.Contains("DetectFsp", StringComparison.Ordinal));
        Assert.Empty(inventory.DecodersOf("cam-broken"));
        Assert.Empty(inventory.DecodersOf("cam-typo"));

        // A file that is not JSON at all keeps the running set.
        var decoders = Assert.Single(inventory.DecodersOf("cam-good-0"));
        inventory.WriteText("[ { \"Id\": \"cam-good-0\", ");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Contains(logs.Lines, l => l.Contains("cameras.json", StringComparison.Ordinal) && l.Contains("not", StringComparison.OrdinalIgnoreCase)
            && l.Contains("running", StringComparison.OrdinalIgnoreCase));
        Assert.Equal([decoders], inventory.DecodersOf("cam-good-0"));
        Assert.Single(inventory.DecodersOf("cam-good-1"));
    }
}
