using System.Text.Json;
using OpenCvSharp;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>
/// The event lifecycle as a dispatch console sees it on a real broker: every event that says <c>new</c> says
/// <c>end</c> exactly once, also when the camera goes offline and when the engine shuts down, and its snapshot
/// arrives on its own topic before its end.
/// </summary>
public sealed class EventLifecycleTests(ITestOutputHelper output)
{
    private static Dictionary<string, string> Engine(int brokerPort, string url) => new()
    {
        ["Node:Id"] = "node-events",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = brokerPort.ToString(),
        ["Mqtt:TopicPrefix"] = "ev",
        ["Cameras:0:Id"] = "cam-events",
        ["Cameras:0:Url"] = url,
        ["Cameras:0:GridId"] = "grid-ev",
        ["Cameras:0:DetectFps"] = "5",
        ["Cameras:0:DetectWidth"] = "640",
        ["Cameras:0:DetectHeight"] = "480",
        ["Cameras:0:Rules:0:Name"] = "people",
        ["Cameras:0:Rules:0:Type"] = "any",
        ["Cameras:0:Rules:0:Severity"] = "info",
        ["Cameras:0:Rules:0:Labels:0"] = "person",
    };

    [Fact]
    public async Task When_the_camera_goes_offline_every_open_event_ends_with_reason_offline_after_its_snapshot()
    {
        var video = await TestVideo.VtestH264Async();
        await using var broker = await MosquittoBroker.StartAsync();
        await using var rtsp = await RtspServer.StartAsync(video);
        await using var console = await MqttTestSubscriber.ConnectAsync(broker.Port, "ev/#", TimeSpan.FromSeconds(10));
        var messages = new List<(string Topic, byte[] Payload)>();

        await using (var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, rtsp.Url)))
        {
            // People walk through the video all the time: wait until a few events are open.
            await CollectUntilAsync(console, messages, m => OpenEvents(m).Count >= 3, TimeSpan.FromSeconds(45));
            var openAtKill = OpenEvents(messages);
            output.WriteLine($"{openAtKill.Count} events open when the camera is cut off");

            var killedAt = DateTime.UtcNow;
            await rtsp.KillAsync();
            await CollectUntilAsync(console, messages, m => OpenEvents(m).Count == 0, TimeSpan.FromSeconds(30));

            var alerts = Alerts(messages);
            var endedOffline = 0;
            foreach (var eventId in openAtKill)
            {
                var end = alerts.Single(a => a.GetProperty("eventId").GetString() == eventId && a.GetProperty("type").GetString() == "end");
                if (end.GetProperty("endReason").GetString() == "offline")
                {
                    endedOffline++;
                    continue;
                }
                // Its end was decided on a frame from before the cut and was still on its way to the console:
                // the event was not open when the camera went offline.
                Assert.True(end.GetProperty("observedAt").GetDateTime().ToUniversalTime() < killedAt,
                    $"event {eventId} ended '{end.GetProperty("endReason").GetString()}' after the camera was cut off");
            }
            Assert.True(endedOffline > 0, "no event ended 'offline'");

            // The camera is gone, so no event starts any more: the counter says how many the console saw begin.
            var metrics = await engine.ScrapeMetricsAsync();
            messages.AddRange(await console.CollectAsync(TimeSpan.FromSeconds(1)));
            var started = Alerts(messages).Where(a => a.GetProperty("type").GetString() == "new")
                .Select(a => a.GetProperty("eventId").GetString()).Distinct().Count();
            Assert.Equal(started, Exposition.CounterValue(metrics, "surveillance_events_started_total", "camera=\"cam-events\",rule=\"people\",grid=\"grid-ev\""));
            Assert.Equal(0, Exposition.Value(metrics, "surveillance_events_open", "camera=\"cam-events\""));
        }

        AssertEveryEventHasOneNewThenOneEnd(messages);
        await AssertSnapshotsPrecedeTheirEndsAndAreNotRetainedAsync(messages, broker.Port);
    }

    [Fact]
    public async Task When_the_engine_shuts_down_every_open_event_ends_with_reason_shutdown()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var console = await MqttTestSubscriber.ConnectAsync(broker.Port, "ev/#", TimeSpan.FromSeconds(10));
        var messages = new List<(string Topic, byte[] Payload)>();
        List<string> openAtStop;
        DateTime stopAsked;

        await using (var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, RepoPaths.VtestAvi)))
        {
            await CollectUntilAsync(console, messages, m => OpenEvents(m).Count >= 3, TimeSpan.FromSeconds(45));
            openAtStop = OpenEvents(messages);
            output.WriteLine($"{openAtStop.Count} events open when the engine is told to stop");
            // To the millisecond, as the alerts carry their times.
            var now = DateTime.UtcNow;
            stopAsked = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
            await engine.StopAsync();
        }
        // The ends were published before the engine let go of the broker.
        messages.AddRange(await console.CollectAsync(TimeSpan.FromSeconds(2)));

        var ends = Alerts(messages).Where(a => a.GetProperty("type").GetString() == "end").ToList();
        var endedShutdown = 0;
        foreach (var eventId in openAtStop)
        {
            var end = ends.Single(a => a.GetProperty("eventId").GetString() == eventId);
            if (end.GetProperty("endReason").GetString() == "shutdown")
            {
                endedShutdown++;
                continue;
            }
            // Its end was decided on a frame from before the stop and was still on its way to the console.
            Assert.True(end.GetProperty("observedAt").GetDateTime().ToUniversalTime() <= stopAsked,
                $"event {eventId} ended '{end.GetProperty("endReason").GetString()}' after the engine was told to stop");
        }
        Assert.True(endedShutdown > 0, "no event ended 'shutdown'");
        // And only the stop ends an event with that reason.
        Assert.All(ends.Where(a => a.GetProperty("endReason").GetString() == "shutdown"),
            end => Assert.True(end.GetProperty("observedAt").GetDateTime().ToUniversalTime() >= stopAsked, "a shutdown end observed before the stop"));
        AssertEveryEventHasOneNewThenOneEnd(messages);
    }

    private static async Task CollectUntilAsync(MqttTestSubscriber console, List<(string Topic, byte[] Payload)> messages,
        Func<List<(string Topic, byte[] Payload)>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(messages))
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {timeout.TotalSeconds} s; {messages.Count} messages");
            messages.AddRange(await console.CollectAsync(TimeSpan.FromMilliseconds(500)));
        }
    }

    private static List<JsonElement> Alerts(List<(string Topic, byte[] Payload)> messages) =>
        [.. messages.Where(m => m.Topic.StartsWith("ev/alerts/", StringComparison.Ordinal)).Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone())];

    /// <summary>Events that have said new and not yet end.</summary>
    private static List<string> OpenEvents(List<(string Topic, byte[] Payload)> messages)
    {
        var open = new List<string>();
        foreach (var alert in Alerts(messages))
        {
            var id = alert.GetProperty("eventId").GetString()!;
            if (alert.GetProperty("type").GetString() == "new")
                open.Add(id);
            else if (alert.GetProperty("type").GetString() == "end")
                open.Remove(id);
        }
        return open;
    }

    private void AssertEveryEventHasOneNewThenOneEnd(List<(string Topic, byte[] Payload)> messages)
    {
        var byEvent = Alerts(messages).GroupBy(a => a.GetProperty("eventId").GetString()).ToList();
        output.WriteLine($"{byEvent.Count} events");
        Assert.NotEmpty(byEvent);
        foreach (var messagesOfEvent in byEvent)
        {
            var types = messagesOfEvent.Select(a => a.GetProperty("type").GetString()).ToList();
            Assert.Equal("new", types[0]);
            Assert.Equal("end", types[^1]);
            Assert.Single(types, t => t == "new");
            Assert.Single(types, t => t == "end");
            var end = messagesOfEvent.Last();
            Assert.Equal("people", end.GetProperty("rule").GetString());
            Assert.Equal("any", end.GetProperty("ruleType").GetString());
            Assert.Equal("person", end.GetProperty("label").GetString());
            Assert.True(end.GetProperty("trackId").GetInt64() > 0);
            Assert.True(end.GetProperty("endedAt").GetDateTime() >= end.GetProperty("startedAt").GetDateTime());
            Assert.InRange(end.GetProperty("topScore").GetDouble(), end.GetProperty("score").GetDouble(), 1);
        }
    }

    private static async Task AssertSnapshotsPrecedeTheirEndsAndAreNotRetainedAsync(List<(string Topic, byte[] Payload)> messages, int brokerPort)
    {
        var ends = messages.Select((m, i) => (m, i))
            .Where(x => x.m.Topic.StartsWith("ev/alerts/", StringComparison.Ordinal))
            .Select(x => (Alert: JsonDocument.Parse(x.m.Payload).RootElement.Clone(), Index: x.i))
            .Where(x => x.Alert.GetProperty("type").GetString() == "end")
            .ToList();
        var withSnapshot = ends.Where(e => e.Alert.GetProperty("hasSnapshot").GetBoolean()).ToList();
        Assert.NotEmpty(withSnapshot);
        foreach (var (alert, index) in withSnapshot)
        {
            var topic = $"ev/snapshots/cam-events/{alert.GetProperty("eventId").GetString()}";
            var snapshots = messages.Select((m, i) => (m, i)).Where(x => x.m.Topic == topic).ToList();
            var (snapshot, at) = Assert.Single(snapshots);
            Assert.True(at < index, "the snapshot comes before the end");
            using var image = Cv2.ImDecode(snapshot.Payload, ImreadModes.Color);
            Assert.Equal(640, image.Width);
            Assert.Equal(480, image.Height);
        }
        Assert.Equal(withSnapshot.Count, messages.Count(m => m.Topic.StartsWith("ev/snapshots/", StringComparison.Ordinal)));

        // Not retained: a console connecting later gets none of them.
        await using var late = await MqttTestSubscriber.ConnectAsync(brokerPort, "ev/snapshots/#", TimeSpan.FromSeconds(10));
        Assert.Empty(await late.CollectAsync(TimeSpan.FromSeconds(2)));
    }
}
