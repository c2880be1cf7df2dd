using System.Text.Json;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>
/// Delivery through a real broker outage and a real crash, judged by what a grid subscriber receives and by
/// nothing the engine counts itself: after dedupe by <c>id</c>, each camera's <c>seq</c> runs 1, 2, 3... without a
/// gap (nothing lost between the outbox and the subscriber); every event that says <c>new</c> says <c>end</c> exactly
/// once (no event cut short); and the video yields as many events as the same stretch of it does without an
/// outage (no whole event lost before it reached the outbox, where it would have left no hole in the numbering).
/// </summary>
public sealed class BrokerOutageTests(ITestOutputHelper output)
{
    private static readonly string[] Cameras = ["outage-a", "outage-b"];

    /// <remarks>
    /// Every run names its cameras the same: a camera's id decides which of the video's frames it keeps (see
    /// <c>FfmpegArguments.DetectPhase</c>), and the comparison with the run without an outage needs the same frames.
    /// Two runs of the video give the same events only if both analyse every frame they keep and the tracker
    /// decides alike on them. NanoDet on one worker and one thread (~20 ms a frame) at 2 frames a second per camera
    /// keeps up on two busy cores, one thread gives the same numbers on the same frame every time, and a track is
    /// lost 2.25 s after it was last seen, midway between 4 and 5 frame intervals, so that a few milliseconds of
    /// jitter in capture times cannot decide whether it is lost. (With YOLOv5s, several threads and 5 frames a
    /// second, a loaded machine dropped up to 290 of 370 frames and the events of the same stretch numbered from
    /// 18 to 33 between runs.)
    /// </remarks>
    private static Dictionary<string, string> Engine(int brokerPort, string outbox) => new()
    {
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = brokerPort.ToString(),
        ["Mqtt:TopicPrefix"] = "out",
        ["Mqtt:TimeoutSeconds"] = "3",
        ["Alerts:UpdateIntervalSeconds"] = "1",
        ["Outbox:Path"] = outbox,
        ["Detector:Model"] = RepoPaths.NanoDet,
        ["Detector:Workers"] = "1",
        ["Detector:Threads"] = "1",
        ["Tracker:LostAfterSeconds"] = "2.25",
        ["Cameras:0:Id"] = Cameras[0],
        ["Cameras:0:Url"] = RepoPaths.VtestAvi,
        ["Cameras:0:DetectFps"] = "2",
        ["Cameras:1:Id"] = Cameras[1],
        ["Cameras:1:Url"] = RepoPaths.VtestAvi,
        ["Cameras:1:GridId"] = "grid-002",
        ["Cameras:1:Latitude"] = "31.2",
        ["Cameras:1:Longitude"] = "121.4",
        ["Cameras:1:DetectFps"] = "2",
    };

    /// <summary>What one run delivered (distinct alerts, in arrival order) and the frames it kept but did not analyse, per camera.</summary>
    private sealed record Run(string Name, List<JsonElement> Alerts, Dictionary<string, double> Unanalysed);

    /// <summary>The same video, cameras and settings with the broker up throughout: run once, for every test that compares with it.</summary>
    private static readonly Lazy<Task<Run>> Reference = new(RunWithoutOutageAsync);

    private static async Task<Run> RunWithoutOutageAsync()
    {
        using var outbox = new TemporaryOutbox();
        await using var broker = await MosquittoBroker.StartAsync();
        await using var dispatch = await MqttTestSubscriber.ConnectAsync(broker.Port, "out/alerts/#", TimeSpan.FromSeconds(10));
        string metrics;
        await using (var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, outbox.Path)))
        {
            await dispatch.WaitForAsync((_, _) => true, TimeSpan.FromSeconds(30));
            // Longer than any outage run lasts after its first alert, so that its whole stretch can be compared.
            await Task.Delay(TimeSpan.FromSeconds(75));
            await engine.StopAsync();
            metrics = await engine.ExportMetricsAsync();
        }
        Assert.Empty(outbox.StoredAlerts());
        return await FinishAsync("without outage", dispatch, metrics);
    }

    [Fact]
    public async Task Every_alert_produced_during_a_60_s_broker_outage_arrives_once_in_order_without_a_gap()
    {
        var reference = await Reference.Value;
        using var outbox = new TemporaryOutbox();
        await using var broker = await MosquittoBroker.StartAsync(persistent: true);
        await using var dispatch = await MqttTestSubscriber.ConnectAsync(broker.Port, "out/alerts/#", TimeSpan.FromSeconds(10), persistentSession: "grid-dispatch");
        string metrics;
        DateTime outageStarted, outageEnded;
        await using (var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, outbox.Path)))
        {
            await dispatch.WaitForAsync((_, _) => true, TimeSpan.FromSeconds(30));
            await broker.StopAsync();
            outageStarted = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(60));
            outageEnded = DateTime.UtcNow;
            await broker.StartAsync();

            // The engine retries at most every 30 s; then the backlog goes out while new alerts keep coming.
            await AssertOutboxDrainsAsync(engine, TimeSpan.FromSeconds(90));
            await engine.StopAsync();
            metrics = await engine.ExportMetricsAsync();
        }
        // The ends of the events still open at the stop went out too: nothing is left for a next start.
        Assert.Empty(outbox.StoredAlerts());
        var run = await FinishAsync("with outage", dispatch, metrics);

        Assert.True(dispatch.Reconnects >= 1);
        AssertCompleteAndOrdered(run.Alerts, output);
        AssertEveryEventSaysNewThenEndOnce(run.Alerts, output);
        var duringOutage = run.Alerts.Count(a => ObservedAt(a) > outageStarted && ObservedAt(a) < outageEnded);
        output.WriteLine($"{duringOutage} alerts observed during the outage arrived");
        Assert.True(duringOutage >= 30, $"only {duringOutage} alerts observed during the 60 s outage arrived");
        AssertSameEventsAs(reference, run);
    }

    [Fact]
    public async Task Alerts_stored_before_the_engine_is_killed_during_an_outage_go_out_after_it_restarts()
    {
        using var outbox = new TemporaryOutbox();
        await using var broker = await MosquittoBroker.StartAsync(persistent: true);
        await using var dispatch = await MqttTestSubscriber.ConnectAsync(broker.Port, "out/alerts/#", TimeSpan.FromSeconds(10), persistentSession: "grid-dispatch-2");
        await broker.StopAsync();

        string[] Args() =>
        [
            Path.Combine(AppContext.BaseDirectory, "Surveillance.Host.dll"),
            $"--Metrics:Port={FreePort.Next()}",
            .. Engine(broker.Port, outbox.Path).Select(kv => $"--{kv.Key}={kv.Value}"),
        ];
        // Read from the outbox file itself, not from what the engine says it holds.
        List<JsonElement> stored;
        await using (var first = await ChildProcess.StartAsync("dotnet", Args(), readyLine: "streaming", TimeSpan.FromSeconds(60)))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            do
            {
                await Task.Delay(1000);
                stored = outbox.StoredAlerts();
            }
            while (stored.Count < 10 && DateTime.UtcNow < deadline);
            System.Diagnostics.Process.GetProcessById(first.Id).Kill(); // SIGKILL, broker still down
        }
        stored = outbox.StoredAlerts();
        output.WriteLine($"{stored.Count} alerts were stored when the engine was killed");
        Assert.True(stored.Count >= 10, $"{stored.Count} alerts stored in 60 s");
        // Nothing was ever acknowledged: each camera's stored alerts are its first, numbered 1, 2, 3...
        foreach (var camera in stored.GroupBy(CameraId))
            Assert.Equal(Enumerable.Range(1, camera.Count()).Select(i => (long)i), camera.Select(Seq));

        await broker.StartAsync();
        await using (var second = await ChildProcess.StartAsync("dotnet", Args(), readyLine: "streaming", TimeSpan.FromSeconds(60)))
        {
            var storedIds = stored.Select(Id).ToHashSet();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!storedIds.IsSubsetOf(dispatch.History.Select(m => Id(Parse(m.Payload)))) && DateTime.UtcNow < deadline)
                await Task.Delay(500);
            var missing = storedIds.Except(dispatch.History.Select(m => Id(Parse(m.Payload)))).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {storedIds.Count} stored alerts never arrived");
            Assert.Contains("from before the restart", second.Output, StringComparison.Ordinal);

            // Let the second engine raise events of its own, then stop it.
            var startedBeforeTheKill = stored.Select(a => a.GetProperty("eventId").GetString()).ToHashSet();
            deadline = DateTime.UtcNow.AddSeconds(60);
            while (!dispatch.History.Select(m => Parse(m.Payload)).Any(a => !startedBeforeTheKill.Contains(a.GetProperty("eventId").GetString()))
                   && DateTime.UtcNow < deadline)
                await Task.Delay(500);

            // A clean stop with the broker up sends everything, the ends of the open events too.
            await second.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Empty(outbox.StoredAlerts());
        await Task.Delay(TimeSpan.FromSeconds(2));
        var received = dispatch.History.Select(m => Parse(m.Payload)).ToList();

        // The second engine numbers on from the first: one unbroken sequence per camera across the crash.
        AssertCompleteAndOrdered(received, output);
        // The events of the killed engine never end (it could not say so); those of the second one all do.
        var eventsBeforeTheKill = stored.Select(a => a.GetProperty("eventId").GetString()).ToHashSet();
        var afterTheRestart = received.Where(a => !eventsBeforeTheKill.Contains(a.GetProperty("eventId").GetString())).ToList();
        Assert.True(AssertEveryEventSaysNewThenEndOnce(afterTheRestart, output) > 0, "the restarted engine raised no event");
    }

    [Fact]
    public async Task A_broker_that_hangs_without_closing_the_connection_is_detected_and_the_link_rebuilt()
    {
        var reference = await Reference.Value;
        await using var broker = await MosquittoBroker.StartAsync(persistent: true);
        await using var dispatch = await MqttTestSubscriber.ConnectAsync(broker.Port, "out/alerts/#", TimeSpan.FromSeconds(10), persistentSession: "grid-dispatch-3");
        var logs = new RecordingLoggerProvider();
        using var outbox = new TemporaryOutbox();
        string metrics;
        await using (var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, outbox.Path), logs))
        {
            await dispatch.WaitForAsync((_, _) => true, TimeSpan.FromSeconds(30));
            var firstAlert = DateTime.UtcNow;

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
            await AssertOutboxDrainsAsync(engine, TimeSpan.FromSeconds(60));
            // Enough video for the comparison with the run without an outage.
            var enough = firstAlert.AddSeconds(40) - DateTime.UtcNow;
            if (enough > TimeSpan.Zero)
                await Task.Delay(enough);
            await engine.StopAsync();
            metrics = await engine.ExportMetricsAsync();
        }
        Assert.Empty(outbox.StoredAlerts());
        var run = await FinishAsync("with hung broker", dispatch, metrics);

        AssertCompleteAndOrdered(run.Alerts, output);
        AssertEveryEventSaysNewThenEndOnce(run.Alerts, output);
        AssertSameEventsAs(reference, run);
    }

    /// <summary>
    /// Waits for the outbox to empty while the engine runs; fails if it has not within <paramref name="timeout"/>.
    /// The gauge only paces the test: once the engine has stopped, the callers read the file itself.
    /// </summary>
    private static async Task AssertOutboxDrainsAsync(EngineUnderTest engine, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double depth;
        while ((depth = Exposition.Value(await engine.ScrapeMetricsAsync(), "surveillance_outbox_depth", null)) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(500);
        Assert.True(depth == 0, $"the outbox still held {depth} alerts {timeout.TotalSeconds} s after the broker came back");
    }

    /// <param name="metrics">What the engine's metrics read once it had stopped.</param>
    private static async Task<Run> FinishAsync(string name, MqttTestSubscriber dispatch, string metrics)
    {
        // The broker acknowledged everything before the engine stopped; give it a moment to hand it on.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var alerts = dispatch.History.Select(m => Parse(m.Payload)).DistinctBy(Id).ToList();
        var unanalysed = Cameras.ToDictionary(c => c, c =>
            Exposition.CounterValue(metrics, "surveillance_frames_dropped_total", $"camera=\"{c}\"")
            + Exposition.CounterValue(metrics, "surveillance_frames_out_of_order_total", $"camera=\"{c}\""));
        return new Run(name, alerts, unanalysed);
    }

    /// <summary>After dedupe by id: each camera's seq runs 1, 2, 3... with no gap, in arrival order; a retry carries the same seq.</summary>
    private static void AssertCompleteAndOrdered(List<JsonElement> received, ITestOutputHelper output)
    {
        var unique = received.DistinctBy(Id).ToList();
        output.WriteLine($"{received.Count} messages received, {unique.Count} distinct alerts");
        Assert.NotEmpty(unique);
        foreach (var camera in unique.GroupBy(CameraId))
        {
            var seqs = camera.Select(Seq).ToList();
            output.WriteLine($"{camera.Key}: seq {seqs.First()}..{seqs.Last()} ({seqs.Count} alerts)");
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
            var seqOf = camera.ToDictionary(Id, Seq);
            Assert.All(received.Where(a => CameraId(a) == camera.Key), a => Assert.Equal(seqOf[Id(a)], Seq(a)));
        }
    }

    /// <summary>After dedupe by id, in seq order: every event has one <c>new</c>, first, and one <c>end</c>, last.</summary>
    /// <returns>How many events there were.</returns>
    private static int AssertEveryEventSaysNewThenEndOnce(List<JsonElement> received, ITestOutputHelper output)
    {
        var events = received.DistinctBy(Id).GroupBy(a => a.GetProperty("eventId").GetString()!).ToList();
        output.WriteLine($"{events.Count} events");
        foreach (var messages in events)
        {
            var types = messages.OrderBy(Seq).Select(a => a.GetProperty("type").GetString()).ToList();
            var summary = $"event {messages.Key} on {CameraId(messages.First())}: {string.Join(", ", types)}";
            Assert.True(types.Count(t => t == "new") == 1 && types[0] == "new", summary);
            Assert.True(types.Count(t => t == "end") == 1 && types[^1] == "end", summary);
        }
        return events.Count;
    }

    /// <summary>
    /// The events of the stretch of video both runs saw, counted per camera, are as many with the outage as
    /// without. Each camera's video time starts at its first event (the same people, on the same frames, in
    /// every run), and the stretch ends at the moment, in the last 20 s both runs saw, farthest from the start
    /// of any event of either run, so that a frame's difference either way cannot move an event across it.
    /// </summary>
    /// <remarks>
    /// Exact equality is not to be had: capture times are stamped when a frame arrives, the tracker predicts
    /// with them, and now and then an association on the edge of its threshold goes the other way. In 15 runs
    /// with these settings one short extra event (18.5 s into the second camera's video) came in 3 and nothing
    /// else changed a count, so a camera's counts may differ by one. A frame kept but not analysed (the detector
    /// fell behind) can change what the tracker makes of the frames around it: each allows one more; none
    /// was dropped in those runs.
    /// </remarks>
    private void AssertSameEventsAs(Run reference, Run run)
    {
        foreach (var camera in Cameras)
        {
            var (withoutStarts, withoutSeen) = Timeline(reference, camera);
            var (withStarts, withSeen) = Timeline(run, camera);
            var seen = Math.Min(withoutSeen, withSeen) - 1;
            var cut = Enumerable.Range(0, 201).Select(i => seen - 20 + i * 0.1).Where(t => t > 0)
                .MaxBy(t => withoutStarts.Concat(withStarts).Select(s => Math.Abs(s - t)).DefaultIfEmpty(double.MaxValue).Min());
            var clearance = withoutStarts.Concat(withStarts).Select(s => Math.Abs(s - cut)).DefaultIfEmpty(double.MaxValue).Min();
            var without = withoutStarts.Count(s => s < cut);
            var with = withStarts.Count(s => s < cut);
            var allowed = 1 + reference.Unanalysed[camera] + run.Unanalysed[camera];
            var summary = $"{camera}, first {cut:0.0} s of video ({clearance:0.0} s from any event's start): {with} events {run.Name}, "
                + $"{without} {reference.Name}; frames not analysed {run.Unanalysed[camera]} and {reference.Unanalysed[camera]}\n"
                + $"  {run.Name}: {string.Join(" ", withStarts.Select(s => s.ToString("0.0")))}\n"
                + $"  {reference.Name}: {string.Join(" ", withoutStarts.Select(s => s.ToString("0.0")))}";
            output.WriteLine(summary);
            Assert.True(seen > 25, $"{camera}: only {seen:0.0} s of video seen by both runs");
            Assert.True(clearance >= 0.75, $"no quiet moment to end the stretch at: {summary}");
            Assert.True(allowed <= 11, $"the detector fell too far behind for the runs to be compared: {summary}");
            Assert.True(Math.Abs(with - without) <= allowed, summary);
            Assert.True(without >= 5, summary);
        }
    }

    /// <summary>When the camera's events started and the last moment it reported, in seconds from its first event's start.</summary>
    private static (List<double> Starts, double Seen) Timeline(Run run, string camera)
    {
        var alerts = run.Alerts.Where(a => CameraId(a) == camera).ToList();
        var news = alerts.Where(a => a.GetProperty("type").GetString() == "new").Select(a => a.GetProperty("startedAt").GetDateTime().ToUniversalTime()).Order().ToList();
        Assert.True(news.Count > 0, $"{camera}: no event {run.Name}");
        var zero = news[0];
        return ([.. news.Select(t => (t - zero).TotalSeconds)], (alerts.Max(ObservedAt) - zero).TotalSeconds);
    }

    private static JsonElement Parse(byte[] payload) => JsonDocument.Parse(payload).RootElement.Clone();

    private static string Id(JsonElement alert) => alert.GetProperty("id").GetString()!;

    private static string CameraId(JsonElement alert) => alert.GetProperty("cameraId").GetString()!;

    private static long Seq(JsonElement alert) => alert.GetProperty("seq").GetInt64();

    private static DateTime ObservedAt(JsonElement alert) => alert.GetProperty("observedAt").GetDateTime().ToUniversalTime();
}
