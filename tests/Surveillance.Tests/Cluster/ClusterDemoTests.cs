using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Cluster;

/// <summary>
/// <c>tools/cluster-demo.sh 2</c> as a person runs it: real PostgreSQL, Redis, mosquitto and two engine nodes that
/// share the demo's cameras; SIGTERM (what Ctrl+C leads to) stops every one of them and the script exits 0.
/// </summary>
[Collection(DefaultPorts.Name)]
public sealed partial class ClusterDemoTests
{
    // The script's defaults: node i serves HTTP on 9464+i-1 and talks to the other silos on 11111+i-1.
    private static readonly int[] HttpPorts = [9464, 9465];
    private static readonly int[] SiloPorts = [11111, 11112];
    // PostgreSQL, Redis, the MQTT broker.
    private static readonly int[] StorePorts = [55432, 56379, 51883];

    [Fact]
    public async Task Two_nodes_share_every_demo_camera_and_SIGTERM_stops_every_process_it_started_and_exits_0()
    {
        // The script builds the engine first: minutes on a small machine the first time.
        await using var demo = await ChildProcess.StartAsync("bash", [Path.Combine(RepoPaths.Root, "tools", "cluster-demo.sh"), "2"],
            readyLine: "cluster-demo: built", TimeSpan.FromMinutes(8));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var health = await PollAsync<List<JsonNode>>(demo, "both nodes healthy, as node-1 and node-2", TimeSpan.FromSeconds(180), async () =>
            {
                var reports = new List<JsonNode>();
                for (var i = 0; i < HttpPorts.Length; i++)
                {
                    var report = await GetJsonAsync(http, HttpPorts[i], "/api/health");
                    if (report is null || (string?)report["nodeId"] != $"node-{i + 1}" || report["ready"]?.GetValue<bool>() != true)
                        return (null, $"{HttpPorts[i]}: {report?.ToJsonString() ?? "no answer"}");
                    reports.Add(report);
                }
                return (reports, "");
            });
            var nodePids = health.Select(h => (int)h["processId"]!).ToArray();
            Assert.Equal(2, nodePids.Distinct().Count());
            // The nodes are the engines the script started, not processes that happened to be on the ports.
            Assert.Equal(nodePids.Order(), ProcessTable.ChildrenNamed("dotnet", demo.Id).Order());

            var directory = InventoryFile().Match(demo.Output) is { Success: true } match
                ? Path.GetDirectoryName(match.Groups[1].Value)!
                : throw new Xunit.Sdk.XunitException($"the script named no inventory file:\n{Tail(demo.Output)}");
            var cameraIds = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "cameras.json")))!.AsArray()
                .Select(c => (string)c!["Id"]!).ToList();
            Assert.Equal(4, cameraIds.Count); // 2×N

            // Each node says who runs each camera; an unclaimed camera would show each node itself, so they must agree.
            var nodeOneCameras = await PollAsync<Dictionary<string, JsonNode>>(demo, "every demo camera owned, the same owner on both nodes, both nodes owners", TimeSpan.FromSeconds(120), async () =>
            {
                var views = new List<Dictionary<string, JsonNode>>();
                foreach (var port in HttpPorts)
                {
                    if (await GetJsonAsync(http, port, "/api/cameras") is not JsonArray cameras)
                        return (null, $"{port}: no camera list");
                    views.Add(cameras.ToDictionary(c => (string)c!["id"]!, c => c!));
                }
                var seen = cameraIds.ToDictionary(id => id, id => views.Select(v => v.TryGetValue(id, out var c) ? (string?)c["nodeId"] : "(missing)").ToList());
                var described = string.Join(", ", seen.Select(s => $"{s.Key}: {string.Join(" / ", s.Value)}"));
                var agreed = seen.Values.All(o => o[0] is "node-1" or "node-2" && o.Distinct().Count() == 1);
                var owning = seen.Values.Select(o => o[0]).Distinct().Count();
                return (agreed && owning == 2 ? views[0] : null, described);
            });
            // appsettings.json's demo camera cannot be removed by an argument: the script disables it on every node.
            Assert.False(nodeOneCameras["demo-walkway"]["enabled"]!.GetValue<bool>());

            var storePids = new[] { "redis-server", "mosquitto", Environment.UserName == "root" ? "runuser" : "postgres" }
                .Select(name => Assert.Single(ProcessTable.ChildrenNamed(name, demo.Id))).ToArray();

            await demo.SignalAsync("TERM");
            var exitCode = await demo.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{Tail(demo.Output)}");
            Assert.Contains("cluster-demo: stopped", demo.Output, StringComparison.Ordinal);
            Assert.All(nodePids.Concat(storePids), pid => Assert.False(IsAlive(pid), $"process {pid} outlived the script"));
            Assert.All(HttpPorts.Concat(SiloPorts).Concat(StorePorts), port => Assert.False(IsListening(port), $"something still listens on port {port}"));
            Assert.False(Directory.Exists(directory), $"{directory} was left behind");
        }
        finally
        {
            // A failed assertion above: still let the script stop what it started, rather than killing it alone.
            if (!demo.HasExited)
            {
                try
                {
                    await demo.StopGracefullyAsync(TimeSpan.FromSeconds(60));
                }
                catch (TimeoutException)
                {
                    // Disposing kills the whole tree.
                }
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="attempt"/> until it returns a value, up to <paramref name="timeout"/>; fails with what it saw
    /// last and the script's output, or at once when the script ends.
    /// </summary>
    private static async Task<T> PollAsync<T>(ChildProcess demo, string what, TimeSpan timeout, Func<Task<(T? Value, string Seen)>> attempt)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = "";
        while (DateTime.UtcNow < deadline)
        {
            if (demo.HasExited)
                throw new Xunit.Sdk.XunitException($"the script ended while waiting for {what} (last seen: {seen}):\n{Tail(demo.Output)}");
            (var value, seen) = await attempt();
            if (value is not null)
                return value;
            await Task.Delay(500);
        }
        throw new Xunit.Sdk.XunitException($"not {what} after {timeout.TotalSeconds} s (last seen: {seen}):\n{Tail(demo.Output)}");
    }

    /// <summary>The JSON a node answers (health answers 503 with the same report while not ready); null when it does not answer.</summary>
    private static async Task<JsonNode?> GetJsonAsync(HttpClient http, int port, string path)
    {
        try
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
            return JsonNode.Parse(await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="pid"/> is a live process (a zombie is not); the script reaps what it starts.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];

    [GeneratedRegex(@"inventory: (\S+/cameras\.json)")]
    private static partial Regex InventoryFile();
}
