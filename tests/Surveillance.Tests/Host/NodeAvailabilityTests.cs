using System.Diagnostics;
using System.Text.Json;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>The engine binary as operators run it, killed as a crash would kill it.</summary>
public sealed class NodeAvailabilityTests
{
    [Fact]
    public async Task A_running_node_reads_online_with_retained_camera_status_and_a_killed_node_reads_offline_with_no_decoder_left()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var outbox = new TemporaryOutbox();
        var marker = $"availability-{Guid.NewGuid():N}";
        var video = Path.Combine(Path.GetTempPath(), $"{marker}.avi");
        File.Copy(RepoPaths.VtestAvi, video);
        try
        {
            await using var engine = await ChildProcess.StartAsync("dotnet",
                EngineProcess.Arguments(broker.Port, outbox.Path, "Node:Id=node-av", $"Cameras:0:Url={video}", "Cameras:0:Id=cam-av"),
                readyLine: "streaming", TimeSpan.FromSeconds(60));

            // A dashboard that connects later still learns the state: both messages are retained.
            await using (var late = await MqttTestSubscriber.ConnectAsync(broker.Port, "surveillance/#", TimeSpan.FromSeconds(10)))
            {
                var (_, availability) = await late.WaitForAsync((t, _) => t == "surveillance/nodes/node-av/availability", TimeSpan.FromSeconds(10));
                Assert.Equal("online", JsonDocument.Parse(availability).RootElement.GetProperty("state").GetString());
                var (_, status) = await late.WaitForAsync(
                    (t, p) => t == "surveillance/cameras/cam-av/status" && JsonDocument.Parse(p).RootElement.GetProperty("state").GetString() == "online",
                    TimeSpan.FromSeconds(15));
                var report = JsonDocument.Parse(status).RootElement;
                Assert.Equal("good", report.GetProperty("grade").GetString());
                Assert.Equal(5, report.GetProperty("expectedFps").GetDouble());
                Assert.Equal("node-av", report.GetProperty("nodeId").GetString());
            }

            await using var watcher = await MqttTestSubscriber.ConnectAsync(broker.Port, "surveillance/nodes/node-av/availability", TimeSpan.FromSeconds(10));
            await watcher.WaitForAsync((_, p) => p.Length > 0, TimeSpan.FromSeconds(5)); // the retained "online"
            Assert.NotEmpty(Decoders(marker));

            Process.GetProcessById(engine.Id).Kill(); // SIGKILL: no chance to say goodbye

            // The broker speaks the last will for the dead node...
            var (_, will) = await watcher.WaitForAsync((_, p) => p.Length > 0, TimeSpan.FromSeconds(30));
            Assert.Equal("offline", JsonDocument.Parse(will).RootElement.GetProperty("state").GetString());
            // ...and its decoders die with it (the pipe they write frames into is gone).
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Decoders(marker).Count > 0 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.Empty(Decoders(marker));
        }
        finally
        {
            File.Delete(video);
        }
    }

    /// <summary>Live ffmpeg processes whose command line names <paramref name="marker"/>, whoever their parent is now.</summary>
    private static List<int> Decoders(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                if (cmdline.StartsWith("ffmpeg", StringComparison.Ordinal) && cmdline.Contains(marker, StringComparison.Ordinal) && state != "Z")
                    found.Add(pid);
            }
            catch (IOException)
            {
            }
        }
        return found;
    }
}
