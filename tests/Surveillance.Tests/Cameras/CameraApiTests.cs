using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using OpenCvSharp;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Cameras;

/// <summary>
/// The camera routes of the control API through a real HTTP client against the real engine, its inventory file,
/// ffmpeg, model and broker: what a write answers is what the cameras do, what the file holds and what the next
/// engine starts with; a camera's password reaches no answer, log line or status message.
/// </summary>
public sealed class CameraApiTests(ITestOutputHelper output)
{
    private const string Prefix = "api";
    private const string NodeId = "node-api";
    private const string AdminToken = "camera-api-test-token-7d1e93b2";
    private const string Password = "S3cretPassw0rd";
    private const string SecretUrl = $"rtsp://admin:{Password}@127.0.0.1:1/stream";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private static Dictionary<string, string> Engine(int brokerPort, TemporaryInventory inventory, bool withFile = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["Node:Id"] = NodeId,
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = brokerPort.ToString(),
            ["Mqtt:TopicPrefix"] = Prefix,
            ["Cameras:0:Id"] = "cam-config",
            ["Cameras:0:Url"] = inventory.VideoOf("cam-config"),
            ["Cameras:0:DetectFps"] = "4",
            ["Cameras:0:DetectWidth"] = "320",
            ["Cameras:0:DetectHeight"] = "240",
            ["Api:Tokens:0:Name"] = "ops-console",
            ["Api:Tokens:0:Value"] = AdminToken,
            ["Api:Tokens:0:Role"] = "admin",
        };
        if (withFile)
            settings["Cameras:File"] = inventory.Path;
        return settings;
    }

    [Fact]
    public async Task A_camera_added_replaced_disabled_enabled_and_deleted_through_the_api_starts_restarts_and_stops_its_decoder_and_the_file_follows()
    {
        using var inventory = new TemporaryInventory();
        inventory.Write([]);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Prefix}/#", TimeSpan.FromSeconds(10));
        var console = new ConsoleView(subscriber, Prefix);
        await using var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, inventory));
        using var http = Client(engine);
        await console.UntilAsync(c => c.StateOf("cam-config") == "online", StartupTimeout, "the configured camera online");
        var configDecoder = Assert.Single(inventory.DecodersOf("cam-config"));

        // Add: 201, and the camera runs, is listed and is in the file.
        var camera = inventory.Camera("cam-api");
        using (var put = await SendAsync(http, HttpMethod.Put, "/api/cameras/cam-api", camera.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal("/api/cameras/cam-api", put.Headers.Location?.OriginalString);
            var created = await ObjectOf(put);
            Assert.Equal("cam-api", (string)created["id"]!);
            Assert.Equal("Test camera cam-api", (string)created["name"]!);
        }
        await console.UntilAsync(c => c.StateOf("cam-api") == "online", StartupTimeout, "the added camera's retained status online");
        var listed = await UntilAsync(async () => (await ListAsync(http)).FirstOrDefault(c => (string)c["id"]! == "cam-api") is { } view
            && (string)view["state"]! == "online" && (double)view["fps"]! > 0 ? view : null, StartupTimeout, "the added camera listed online with a frame rate");
        output.WriteLine($"listed: {listed.ToJsonString()}");
        Assert.Equal(NodeId, (string)listed["nodeId"]!);
        Assert.True((bool)listed["enabled"]!);
        Assert.Equal("fixed", (string)listed["kind"]!);
        Assert.Equal("grid-inv", (string)listed["gridId"]!);
        var onDisk = Assert.Single(FileRecords(inventory));
        Assert.Equal("cam-api", (string)onDisk["Id"]!);
        Assert.Equal(inventory.VideoOf("cam-api"), (string)onDisk["Url"]!);
        Assert.Equal(4, (int)onDisk["DetectFps"]!);
        var decoder = Assert.Single(inventory.DecodersOf("cam-api"));

        // Its latest frame is a real JPEG of the size it is analysed at.
        using (var frame = await http.GetAsync(new Uri("/api/cameras/cam-api/frame.jpg", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
            Assert.Equal("image/jpeg", frame.Content.Headers.ContentType?.MediaType);
            var jpeg = await frame.Content.ReadAsByteArrayAsync();
            Assert.True(jpeg.Length > 2 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, $"not a JPEG: {jpeg.Length} bytes starting {Convert.ToHexString(jpeg.AsSpan(0, Math.Min(4, jpeg.Length)))}");
            using var image = Cv2.ImDecode(jpeg, ImreadModes.Color);
            Assert.False(image.Empty(), "the JPEG does not decode");
            Assert.Equal((320, 240), (image.Width, image.Height));
        }

        // Replace: 200, the new settings are shown and in the file, and the camera restarted with a new decoder.
        camera["Name"] = "Gate, renamed";
        camera["DetectFps"] = 3;
        using (var put = await SendAsync(http, HttpMethod.Put, "/api/cameras/cam-api", camera.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("Gate, renamed", (string)(await ObjectOf(put))["name"]!);
        }
        var details = await GetObjectAsync(http, "/api/cameras/cam-api");
        Assert.Equal("Gate, renamed", (string)details["name"]!);
        Assert.Equal("Gate, renamed", (string)details["settings"]!["Name"]!);
        Assert.Equal(3, (int)details["settings"]!["DetectFps"]!);
        Assert.Equal("Gate, renamed", (string)Assert.Single(FileRecords(inventory))["Name"]!);
        var restarted = await UntilAsync(() => Task.FromResult(inventory.DecodersOf("cam-api") is [var pid] && pid != decoder ? (int?)pid : null),
            TimeSpan.FromSeconds(15), "a new decoder for the replaced camera");
        output.WriteLine($"decoder {decoder} replaced by {restarted}");

        // Disable: 200, its decoder goes, it is shown and filed as disabled.
        using (var disable = await SendAsync(http, HttpMethod.Post, "/api/cameras/cam-api/disable"))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
            Assert.False((bool)(await ObjectOf(disable))["enabled"]!);
        }
        await UntilAsync(() => Task.FromResult(inventory.DecodersOf("cam-api").Count == 0 ? (bool?)true : null), TimeSpan.FromSeconds(5),
            "the disabled camera's decoder gone");
        details = await GetObjectAsync(http, "/api/cameras/cam-api");
        Assert.False((bool)details["enabled"]!);
        Assert.Equal("disabled", (string)details["state"]!);
        Assert.False((bool)Assert.Single(FileRecords(inventory))["Enabled"]!);

        // Enable: its decoder is back.
        using (var enable = await SendAsync(http, HttpMethod.Post, "/api/cameras/cam-api/enable"))
        {
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
            Assert.True((bool)(await ObjectOf(enable))["enabled"]!);
        }
        var enabledDecoder = await UntilAsync(() => Task.FromResult(inventory.DecodersOf("cam-api") is [var pid] ? (int?)pid : null),
            TimeSpan.FromSeconds(15), "the enabled camera's decoder back");
        Assert.NotEqual(restarted, enabledDecoder);
        Assert.True((bool)Assert.Single(FileRecords(inventory))["Enabled"]!);
        await UntilAsync(async () => (string)(await GetObjectAsync(http, "/api/cameras/cam-api"))["state"]! == "online" ? (bool?)true : null,
            StartupTimeout, "the enabled camera online");

        // Delete: gone from the API, the file and the process table.
        using (var delete = await SendAsync(http, HttpMethod.Delete, "/api/cameras/cam-api"))
            Assert.True(delete.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"DELETE answered {delete.StatusCode}");
        using (var gone = await http.GetAsync(new Uri("/api/cameras/cam-api", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.DoesNotContain(await ListAsync(http), c => (string)c["id"]! == "cam-api");
        Assert.Empty(FileRecords(inventory));
        await UntilAsync(() => Task.FromResult(inventory.DecodersOf("cam-api").Count == 0 ? (bool?)true : null), TimeSpan.FromSeconds(5),
            "the deleted camera's decoder gone");

        // The configured camera was never touched.
        Assert.Equal([configDecoder], inventory.DecodersOf("cam-config"));
    }

    [Fact]
    public async Task Writes_without_a_known_token_bad_records_unknown_cameras_and_cameras_of_configuration_are_refused_with_what_is_wrong()
    {
        using var inventory = new TemporaryInventory();
        inventory.Write([inventory.Camera("cam-file")]);
        var before = File.ReadAllBytes(inventory.Path);
        await using var broker = await MosquittoBroker.StartAsync();
        await using (var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, inventory)))
        {
            using var http = Client(engine);
            await UntilAsync(() => Task.FromResult(inventory.DecodersOf("cam-file").Count == 1 ? (bool?)true : null), StartupTimeout, "the filed camera running");

            // 401: no token, a wrong token; nothing is written.
            var record = inventory.Camera("cam-new").ToJsonString();
            foreach (var token in new[] { null, "not-the-token-but-long-enough" })
            {
                foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
                {
                    (HttpMethod.Put, "/api/cameras/cam-new", record),
                    (HttpMethod.Delete, "/api/cameras/cam-file", null),
                    (HttpMethod.Post, "/api/cameras/cam-file/disable", null),
                })
                {
                    using var refused = await SendAsync(http, method, path, body, token);
                    Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                    Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
                }
            }
            Assert.Equal(before, File.ReadAllBytes(inventory.Path));
            Assert.Single(inventory.DecodersOf("cam-file"));

            // 400: each says what is wrong, by key where a key is wrong.
            var problem = await ProblemAsync(http, HttpMethod.Put, "/api/cameras/cam-new", """{"Name": "x", """, HttpStatusCode.BadRequest);
            Assert.Contains("not valid JSON", (string)problem["detail"]!, StringComparison.Ordinal);

            var typo = inventory.Camera("cam-new");
            typo["DetectFsp"] = 4;
            problem = await ProblemAsync(http, HttpMethod.Put, "/api/cameras/cam-new", typo.ToJsonString(), HttpStatusCode.BadRequest);
            Assert.Contains(Errors(problem), e => e.Contains("DetectFsp", StringComparison.Ordinal));

            var badUrl = inventory.Camera("cam-new");
            badUrl["Url"] = "rtsp://";
            problem = await ProblemAsync(http, HttpMethod.Put, "/api/cameras/cam-new", badUrl.ToJsonString(), HttpStatusCode.BadRequest);
            Assert.Contains(Errors(problem), e => e.Contains("Url", StringComparison.Ordinal));

            var nowhere = inventory.Camera("cam-new");
            nowhere.Remove("Latitude");
            problem = await ProblemAsync(http, HttpMethod.Put, "/api/cameras/cam-new", nowhere.ToJsonString(), HttpStatusCode.BadRequest);
            Assert.Contains(Errors(problem), e => e.Contains("Latitude", StringComparison.Ordinal));

            Assert.Equal(before, File.ReadAllBytes(inventory.Path));
            Assert.DoesNotContain(await ListAsync(http), c => (string)c["id"]! == "cam-new");
            Assert.Empty(inventory.DecodersOf("cam-new"));

            // 404: a camera the node does not have.
            using (var unknown = await http.GetAsync(new Uri("/api/cameras/cam-nowhere", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
                Assert.Contains("cam-nowhere", (string)(await ObjectOf(unknown))["detail"]!, StringComparison.Ordinal);
            }
            problem = await ProblemAsync(http, HttpMethod.Delete, "/api/cameras/cam-nowhere", null, HttpStatusCode.NotFound);
            Assert.Contains("cam-nowhere", (string)problem["detail"]!, StringComparison.Ordinal);
            problem = await ProblemAsync(http, HttpMethod.Post, "/api/cameras/cam-nowhere/enable", null, HttpStatusCode.NotFound);
            Assert.Contains("cam-nowhere", (string)problem["detail"]!, StringComparison.Ordinal);

            // 409: a camera of configuration is changed there, not here.
            var configDecoder = Assert.Single(inventory.DecodersOf("cam-config"));
            problem = await ProblemAsync(http, HttpMethod.Put, "/api/cameras/cam-config", inventory.Camera("cam-config").ToJsonString(), HttpStatusCode.Conflict);
            Assert.Contains("configuration", (string)problem["detail"]!, StringComparison.Ordinal);
            problem = await ProblemAsync(http, HttpMethod.Delete, "/api/cameras/cam-config", null, HttpStatusCode.Conflict);
            Assert.Contains("configuration", (string)problem["detail"]!, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(inventory.Path));
            Assert.Equal([configDecoder], inventory.DecodersOf("cam-config"));
            Assert.Contains(await ListAsync(http), c => (string)c["id"]! == "cam-config");

            // The file is the truth: a camera an operator has just taken out of it, before the engine has read it
            // again, is not in it to disable or delete, whichever comes first, and the file stays as written.
            inventory.Write([]);
            var edited = File.ReadAllBytes(inventory.Path);
            problem = await ProblemAsync(http, HttpMethod.Post, "/api/cameras/cam-file/disable", null, HttpStatusCode.NotFound);
            Assert.Contains("cam-file", (string)problem["detail"]!, StringComparison.Ordinal);
            problem = await ProblemAsync(http, HttpMethod.Delete, "/api/cameras/cam-file", null, HttpStatusCode.NotFound);
            Assert.Contains("cam-file", (string)problem["detail"]!, StringComparison.Ordinal);
            Assert.Equal(edited, File.ReadAllBytes(inventory.Path));
            before = edited;
        }

        // 409: with no inventory file a change could not survive a restart.
        await using (var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, inventory, withFile: false)))
        {
            using var http = Client(engine);
            var problem = await ProblemAsync(http, HttpMethod.Put, "/api/cameras/cam-new", inventory.Camera("cam-new").ToJsonString(), HttpStatusCode.Conflict);
            Assert.Contains("Cameras:File", (string)problem["detail"]!, StringComparison.Ordinal);
            Assert.DoesNotContain(await ListAsync(http), c => (string)c["id"]! == "cam-new");
        }
        Assert.Equal(before, File.ReadAllBytes(inventory.Path));
    }

    [Fact]
    public async Task A_password_in_a_camera_url_reaches_no_answer_no_log_line_and_no_status_message()
    {
        using var inventory = new TemporaryInventory();
        inventory.Write([]);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Prefix}/#", TimeSpan.FromSeconds(10));
        var console = new ConsoleView(subscriber, Prefix);
        var logs = new RecordingLoggerProvider();
        await using var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, inventory), logs);
        using var http = Client(engine);
        var bodies = new List<string>();

        // Nothing listens on port 1: the camera stays offline, and says why, which is where a URL could slip out.
        var camera = inventory.Camera("cam-secret");
        camera["Url"] = SecretUrl;
        using (var put = await SendAsync(http, HttpMethod.Put, "/api/cameras/cam-secret", camera.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            bodies.Add(await put.Content.ReadAsStringAsync());
        }
        // Port 1 is refused before ffmpeg starts; behind this port something answers, not in RTSP, so ffmpeg is
        // given the URL and fails on it, and what it says about it goes to the logs and the status.
        using var notRtsp = new TcpListener(IPAddress.Loopback, 0);
        notRtsp.Start();
        using var stopServing = new CancellationTokenSource();
        var serving = AnswerGarbageAsync(notRtsp, stopServing.Token);
        var decoded = inventory.Camera("cam-secret-ffmpeg");
        decoded["Url"] = $"rtsp://admin:{Password}@127.0.0.1:{((IPEndPoint)notRtsp.LocalEndpoint).Port}/stream";
        using (var put = await SendAsync(http, HttpMethod.Put, "/api/cameras/cam-secret-ffmpeg", decoded.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            bodies.Add(await put.Content.ReadAsStringAsync());
        }
        Assert.Contains(Password, File.ReadAllText(inventory.Path), StringComparison.Ordinal);
        foreach (var id in new[] { "cam-secret", "cam-secret-ffmpeg" })
        {
            await console.UntilAsync(c => LastErrorOf(c, id) is { Length: > 0 }, StartupTimeout, $"a status of {id} with its last error");
            var status = JsonNode.Parse(console.LatestStatus(id)!)!;
            output.WriteLine($"status: {status.ToJsonString()}");
            Assert.NotEqual("online", (string)status["state"]!);
            Assert.Contains("@127.0.0.1:", (string)status["source"]!, StringComparison.Ordinal);
        }

        camera["Name"] = "Secret camera, renamed";
        using (var put = await SendAsync(http, HttpMethod.Put, "/api/cameras/cam-secret", camera.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            bodies.Add(await put.Content.ReadAsStringAsync());
        }
        bodies.Add(await http.GetStringAsync(new Uri("/api/cameras", UriKind.Relative)));
        var details = await http.GetStringAsync(new Uri("/api/cameras/cam-secret", UriKind.Relative));
        bodies.Add(details);
        var shownUrl = (string)JsonNode.Parse(details)!["settings"]!["Url"]!;
        output.WriteLine($"settings Url: {shownUrl}");
        Assert.Contains("***", shownUrl, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1/stream", shownUrl, StringComparison.Ordinal);
        using (var frame = await http.GetAsync(new Uri("/api/cameras/cam-secret/frame.jpg", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, frame.StatusCode);
            bodies.Add(await frame.Content.ReadAsStringAsync());
        }

        // Refusals of a body that carries the password.
        // Without an id, a body takes the one in its path.
        var other = camera.DeepClone().AsObject();
        other.Remove("Id");
        var typo = other.DeepClone().AsObject();
        typo["DetectFsp"] = 4;
        var nowhere = other.DeepClone().AsObject();
        nowhere.Remove("Latitude");
        foreach (var (path, body, token, expected) in new (string, string, string?, HttpStatusCode)[]
        {
            ("/api/cameras/cam-other", typo.ToJsonString(), AdminToken, HttpStatusCode.BadRequest),
            ("/api/cameras/cam-other", nowhere.ToJsonString(), AdminToken, HttpStatusCode.BadRequest),
            ("/api/cameras/cam-other", $$"""{"Url": "{{SecretUrl}}", """, AdminToken, HttpStatusCode.BadRequest),
            ("/api/cameras/cam-other", $$"""{"Url": "rtsp://admin:{{Password}}@", "Latitude": 1, "Longitude": 2}""", AdminToken, HttpStatusCode.BadRequest),
            ("/api/cameras/cam-other", camera.ToJsonString(), AdminToken, HttpStatusCode.BadRequest),
            ("/api/cameras/cam-config", other.ToJsonString(), AdminToken, HttpStatusCode.Conflict),
            ("/api/cameras/cam-secret", camera.ToJsonString(), "not-the-token-but-long-enough", HttpStatusCode.Unauthorized),
        })
        {
            using var refused = await SendAsync(http, HttpMethod.Put, path, body, token);
            var text = await refused.Content.ReadAsStringAsync();
            output.WriteLine($"PUT {path}: {(int)refused.StatusCode} {text}");
            Assert.Equal(expected, refused.StatusCode);
            bodies.Add(text);
        }
        bodies.Add(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        // Let the camera fail a few more times, so that each kind of message had its chance.
        await console.CollectAsync(TimeSpan.FromSeconds(3));
        Assert.All(bodies, b => Assert.DoesNotContain(Password, b, StringComparison.Ordinal));
        var lines = logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("cam-secret", StringComparison.Ordinal) && l.Contains("127.0.0.1:1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("cam-secret-ffmpeg", StringComparison.Ordinal) && l.Contains("ffmpeg", StringComparison.Ordinal)
            && l.Contains("exited", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(Password, StringComparison.Ordinal));
        Assert.Contains(console.Messages, m => m.Topic.Contains("cam-secret", StringComparison.Ordinal));
        Assert.DoesNotContain(console.Messages, m => Encoding.UTF8.GetString(m.Payload).Contains(Password, StringComparison.Ordinal));
        output.WriteLine($"{bodies.Count} answers, {lines.Count} log lines, {console.Messages.Count} messages checked");
        await stopServing.CancelAsync();
        await serving;
    }

    private static string? LastErrorOf(ConsoleView console, string cameraId) =>
        console.LatestStatus(cameraId) is { Length: > 0 } status && JsonNode.Parse(status)!["lastError"] is JsonValue error ? (string?)error : null;

    /// <summary>Answers every connection with a line that is not RTSP and hangs up, until <paramref name="cancellationToken"/>.</summary>
    private static async Task AnswerGarbageAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                var stream = client.GetStream();
                var request = new byte[4096];
                using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                readTimeout.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    _ = await stream.ReadAsync(request, readTimeout.Token);
                    await stream.WriteAsync("this is not RTSP\r\n\r\n"u8.ToArray(), cancellationToken);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [Fact]
    public async Task Cameras_written_through_the_api_are_there_after_a_restart_on_the_same_file()
    {
        using var inventory = new TemporaryInventory();
        inventory.Write([]);
        await using var broker = await MosquittoBroker.StartAsync();
        await using (var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, inventory)))
        {
            using var http = Client(engine);
            var kept = inventory.Camera("cam-kept");
            kept["Name"] = "Kept across restarts";
            using (var put = await SendAsync(http, HttpMethod.Put, "/api/cameras/cam-kept", kept.ToJsonString()))
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            using (var put = await SendAsync(http, HttpMethod.Put, "/api/cameras/cam-off", inventory.Camera("cam-off").ToJsonString()))
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            using (var disable = await SendAsync(http, HttpMethod.Post, "/api/cameras/cam-off/disable"))
                Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
            await UntilAsync(() => Task.FromResult(inventory.DecodersOf("cam-kept").Count == 1 ? (bool?)true : null), StartupTimeout, "the added camera running");
        }
        Assert.Empty(inventory.DecodersOf("cam-kept"));

        await using (var engine = await EngineUnderTest.StartAsync(Engine(broker.Port, inventory)))
        {
            using var http = Client(engine);
            var kept = await UntilAsync(async () => (await ListAsync(http)).FirstOrDefault(c => (string)c["id"]! == "cam-kept") is { } view
                && (string)view["state"]! == "online" ? view : null, StartupTimeout, "the camera written before the restart online");
            Assert.Equal("Kept across restarts", (string)kept["name"]!);
            Assert.Single(inventory.DecodersOf("cam-kept"));
            var off = await GetObjectAsync(http, "/api/cameras/cam-off");
            Assert.False((bool)off["enabled"]!);
            Assert.Empty(inventory.DecodersOf("cam-off"));
        }
    }

    private static HttpClient Client(EngineUnderTest engine) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{engine.MetricsPort}"), Timeout = TimeSpan.FromSeconds(20) };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null, string? token = AdminToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await http.SendAsync(request);
    }

    private static async Task<JsonObject> ObjectOf(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    private static async Task<JsonObject> GetObjectAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ObjectOf(response);
    }

    private static async Task<List<JsonObject>> ListAsync(HttpClient http) =>
        [.. JsonNode.Parse(await http.GetStringAsync(new Uri("/api/cameras", UriKind.Relative)))!.AsArray().Select(c => c!.AsObject())];

    /// <summary>A write that must be refused with <paramref name="expected"/> and a problem body.</summary>
    private async Task<JsonObject> ProblemAsync(HttpClient http, HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var response = await SendAsync(http, method, path, json);
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{method} {path}: {(int)response.StatusCode} {text}");
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static List<string> Errors(JsonObject problem) =>
        problem["errors"] is JsonArray errors ? [.. errors.Select(e => (string)e!)] : [];

    private static List<JsonObject> FileRecords(TemporaryInventory inventory) =>
        [.. JsonNode.Parse(File.ReadAllText(inventory.Path))!.AsArray().Select(r => r!.AsObject())];

    /// <summary>Polls <paramref name="probe"/> until it gives a value; fails the test after <paramref name="timeout"/>.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
                return value;
            Assert.True(DateTime.UtcNow < deadline, $"{what}: not within {timeout.TotalSeconds} s");
            await Task.Delay(200);
        }
    }
}
