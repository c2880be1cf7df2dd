using Microsoft.Extensions.DependencyInjection;
using Surveillance.Cameras;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Cameras;

/// <summary>
/// Cameras added and removed over and over leave nothing behind in the engine's process: the kernel's own counts of its
/// resident memory, threads and open files come back to where they were.
/// </summary>
public sealed class CameraChurnTests(ITestOutputHelper output)
{
    private const int Cycles = 50;
    private const int WarmUpCycles = 5;
    private static readonly string[] Churned = ["churn-a", "churn-b"];

    [Fact]
    public async Task Fifty_add_and_remove_cycles_leave_memory_threads_and_open_files_within_five_percent_of_the_start()
    {
        using var inventory = new TemporaryInventory();
        using var outbox = new TemporaryOutbox();
        inventory.Write([]);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var engine = await EngineProcess.StartAsync(broker.Port, outbox.Path,
            "Node:Id=node-churn", $"Cameras:File={inventory.Path}", "Cameras:0:DetectWidth=320", "Cameras:0:DetectHeight=240");
        var cycle = 0;

        async Task CycleAsync()
        {
            cycle++;
            inventory.Write(Churned.Select(id => inventory.Camera(id)));
            await UntilAsync(() => Churned.All(id => Occurrences(engine.Output, $"Camera {id}: streaming") >= cycle), $"cycle {cycle}: cameras streaming");
            inventory.Write([]);
            await UntilAsync(() => Churned.All(id => Occurrences(engine.Output, $"Camera {id} stopped (removed)") >= cycle), $"cycle {cycle}: cameras removed");
            await UntilAsync(() => Churned.All(id => inventory.DecodersOf(id, engine.Id).Count == 0), $"cycle {cycle}: decoders gone");
        }

        for (var i = 0; i < WarmUpCycles; i++)
            await CycleAsync();
        var start = await SettledAsync(engine.Id);
        for (var i = 0; i < Cycles; i++)
            await CycleAsync();
        var end = await SettledAsync(engine.Id);

        output.WriteLine($"start: {start.ResidentBytes / 1048576.0:0.0} MiB, {start.Threads} threads, {start.OpenFiles} files; " +
            $"after {Cycles} cycles: {end.ResidentBytes / 1048576.0:0.0} MiB, {end.Threads} threads, {end.OpenFiles} files");
        Assert.InRange(end.ResidentBytes, 0, start.ResidentBytes * 1.05);
        Assert.InRange(end.Threads, 0, start.Threads * 1.05);
        Assert.InRange(end.OpenFiles, 0, start.OpenFiles * 1.05);
        Assert.False(engine.HasExited);
    }

    /// <summary>The engine process's counts once the cameras have been gone a moment (their threads ended, their pipes closed).</summary>
    private static async Task<(long ResidentBytes, int Threads, int OpenFiles)> SettledAsync(int pid)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        return ProcessTable.Resources(pid);
    }

    private static int Occurrences(string text, string what) => System.Text.RegularExpressions.Regex.Count(text, System.Text.RegularExpressions.Regex.Escape(what));

    [Fact]
    public async Task A_removed_cameras_pipeline_and_frames_are_garbage_once_it_has_stopped()
    {
        using var inventory = new TemporaryInventory();
        inventory.Write([inventory.Camera("churn-gc")]);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port, "gc/#", TimeSpan.FromSeconds(10));
        var console = new ConsoleView(subscriber, "gc");
        var logs = new RecordingLoggerProvider();
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Node:Id"] = "node-churn-gc",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = broker.Port.ToString(),
            ["Mqtt:TopicPrefix"] = "gc",
            ["Cameras:File"] = inventory.Path,
        }, logs);
        var directory = engine.Services.GetRequiredService<CameraDirectory>();
        var pipeline = await WeakPipelineAsync(directory, "churn-gc");
        // Removed with an event open, so that its last message (the event's end) goes through the alert stage, which
        // must not keep the camera after it: the stage's loop once held its last batch, and with it the pipeline.
        await console.UntilAsync(c => c.OpenEvents("churn-gc").Count > 0, TimeSpan.FromSeconds(60), "an event open");

        inventory.Write([]);
        // Until its stop has run to the end (ends sent, status withdrawn, analysis disposed): until then it is in use.
        await UntilAsync(() => logs.Lines.Any(l => l.Contains("Cameras: 0 started, 1 stopped", StringComparison.Ordinal))
            && inventory.DecodersOf("churn-gc").Count == 0, "camera removed");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pipeline.IsAlive && DateTime.UtcNow < deadline)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(100);
        }
        Assert.False(pipeline.IsAlive, "the removed camera's pipeline is still referenced");
    }

    /// <summary>Apart, so that no local of the test's own method holds the pipeline.</summary>
    private static async Task<WeakReference> WeakPipelineAsync(CameraDirectory directory, string id)
    {
        await UntilAsync(() => directory.Find(id)?.Health.Snapshot().LastFrameAt is not null, "camera streaming");
        return new WeakReference(directory.Find(id));
    }

    private static async Task UntilAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}: not within 30 s");
            await Task.Delay(50);
        }
    }
}
