using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// A cluster on 127.0.0.1 as operators would run one: real Redis (membership), real PostgreSQL (ownership and the
/// shared outbox), a real mosquitto, and engine nodes as processes of their own, over one inventory file. Nodes are
/// killed, frozen and stopped for real.
/// </summary>
public sealed class ClusterUnderTest : IAsyncDisposable
{
    private readonly Dictionary<int, ClusterNode> _nodes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private ClusterUnderTest(string directory, RedisServer redis, PostgresServer postgres, MosquittoBroker broker)
    {
        Directory = directory;
        Redis = redis;
        Postgres = postgres;
        Broker = broker;
    }

    public string Directory { get; }

    public RedisServer Redis { get; }

    public PostgresServer Postgres { get; }

    public MosquittoBroker Broker { get; }

    public string InventoryPath => Path.Combine(Directory, "cameras.json");

    public IReadOnlyDictionary<int, ClusterNode> Nodes => _nodes;

    public static async Task<ClusterUnderTest> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("surveillance-cluster-").FullName;
        var redis = await RedisServer.StartAsync();
        var postgres = await PostgresServer.StartAsync();
        var broker = await MosquittoBroker.StartAsync(persistent: true);
        return new ClusterUnderTest(directory, redis, postgres, broker);
    }

    /// <summary>Writes the shared inventory: <paramref name="count"/> cameras <c>cam-01</c>… on <paramref name="url"/>, detected at 2 fps.</summary>
    public IReadOnlyList<string> WriteInventory(int count, string url)
    {
        var ids = Enumerable.Range(1, count).Select(i => $"cam-{i:00}").ToList();
        var records = new JsonArray([.. ids.Select((id, i) => (JsonNode)new JsonObject
        {
            ["Id"] = id,
            ["Name"] = $"Cluster camera {i + 1}",
            ["Url"] = url,
            ["Kind"] = "fixed",
            ["Latitude"] = 31.2304,
            ["Longitude"] = 121.4737,
            ["GridId"] = "grid-001",
            ["DetectFps"] = 2,
            ["DetectWidth"] = 640,
            ["DetectHeight"] = 480,
        })]);
        File.WriteAllText(InventoryPath, records.ToJsonString());
        return ids;
    }

    /// <summary>Starts node <c>node-{index}</c> and waits until its API answers.</summary>
    public async Task<ClusterNode> StartNodeAsync(int index, int capacity, params string[] settings)
    {
        var port = FreePort.Next();
        var nodeDirectory = System.IO.Directory.CreateDirectory(Path.Combine(Directory, $"node-{index}")).FullName;
        var arguments = EngineProcess.Arguments(Broker.Port, Path.Combine(nodeDirectory, "outbox.db"),
        [
            $"Node:Id=node-{index}", $"Metrics:Port={port}", "Cameras:0:Enabled=false", $"Cameras:File={InventoryPath}",
            $"Detector:Model={RepoPaths.NanoDet}", "Detector:Workers=1", "Detector:Threads=1",
            $"Cluster:Redis={Redis.ConnectionString}", $"Cluster:Postgres={Postgres.ConnectionString}",
            $"Cluster:SiloPort={FreePort.Next()}", $"Cluster:Capacity={capacity}",
            .. settings,
        ]);
        var process = await ChildProcess.StartAsync("dotnet", arguments, readyLine: "is in the cluster as silo", TimeSpan.FromSeconds(120));
        var node = new ClusterNode(index, $"node-{index}", port, process, capacity);
        _nodes[index] = node;
        return node;
    }

    /// <summary>Every camera of the cluster as node <paramref name="via"/>'s API lists it.</summary>
    public async Task<IReadOnlyList<CameraRow>> CamerasAsync(ClusterNode via)
    {
        var cameras = await _http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{via.HttpPort}/api/cameras") ?? [];
        return [.. cameras.Select(c => new CameraRow(
            (string)c!["id"]!, (string?)c["nodeId"], (string)c["state"]!,
            c["lastFrameAt"] is JsonValue at ? DateTime.Parse((string)at!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) : null))];
    }

    /// <summary>The cameras each running node runs itself (its own, live view), by node.</summary>
    public async Task<Dictionary<string, List<CameraRow>>> OwnViewsAsync(IEnumerable<ClusterNode> nodes)
    {
        var views = new Dictionary<string, List<CameraRow>>();
        foreach (var node in nodes)
        {
            try
            {
                views[node.NodeId] = [.. (await CamerasAsync(node)).Where(c => c.NodeId == node.NodeId && c.State != "disabled")];
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                views[node.NodeId] = [];
            }
        }
        return views;
    }

    public async Task<string> MetricsAsync(ClusterNode node) => await _http.GetStringAsync($"http://127.0.0.1:{node.HttpPort}/metrics");

    /// <summary>The grid dispatch system's view: every alert of every grid, on a persistent session that misses nothing.</summary>
    public Task<MqttTestSubscriber> DispatchConsoleAsync() =>
        MqttTestSubscriber.ConnectAsync(Broker.Port, "surveillance/alerts/#", TimeSpan.FromSeconds(10), persistentSession: "dispatch-console");

    /// <summary>
    /// Stops <paramref name="nodes"/> one after another with SIGTERM (each drains, handing its cameras to those left; the
    /// last ends them), then gives the broker a moment to deliver the last messages.
    /// </summary>
    public static async Task StopInTurnAsync(IEnumerable<ClusterNode> nodes, Action<string> log)
    {
        foreach (var node in nodes.ToList())
        {
            try
            {
                await node.Process.StopGracefullyAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                log($"--- {node.NodeId} did not stop:\n{node.Process.Output[^Math.Min(6000, node.Process.Output.Length)..]}");
                throw;
            }
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling twice a second; false at the deadline.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                    return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // A node starting or stopping.
            }
            await Task.Delay(500);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values)
            await node.Process.DisposeAsync();
        await Broker.DisposeAsync();
        await Postgres.DisposeAsync();
        await Redis.DisposeAsync();
        _http.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A node of <see cref="ClusterUnderTest"/>: its id, its HTTP port, its process.</summary>
public sealed record ClusterNode(int Index, string NodeId, int HttpPort, ChildProcess Process, int Capacity)
{
    public int Pid => Process.Id;

    /// <summary>The ffmpeg decoders this node runs now.</summary>
    public IReadOnlyList<int> Decoders => ProcessTable.ChildrenNamed("ffmpeg", Pid);
}

/// <summary>A camera as <c>GET /api/cameras</c> lists it.</summary>
public sealed record CameraRow(string Id, string? NodeId, string State, DateTime? LastFrameAt);
