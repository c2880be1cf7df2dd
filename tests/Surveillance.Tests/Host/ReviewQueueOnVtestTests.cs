using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>
/// The review queue on the real engine, on the bundled video, with a real mosquitto: two cameras in two grids
/// (both looping vtest.avi), anonymous reads off, an admin, a command and a grid-A token. Items group the events,
/// actions change them in the API and reach MQTT, a grid token sees nothing of grid B on any route or on the live
/// stream, false alarms are counted, a mute holds a rule's events back until it expires.
/// </summary>
public sealed class ReviewQueueOnVtestTests(ReviewQueueOnVtestTests.Engine engine, ITestOutputHelper output) : IClassFixture<ReviewQueueOnVtestTests.Engine>
{
    public const string AdminToken = "review-admin-token-0123456789";
    public const string CommandToken = "review-command-token-0123456789";
    public const string GridAToken = "review-grid-a-token-0123456789";

    public sealed class Engine : IAsyncLifetime
    {
        public MosquittoBroker Broker { get; private set; } = null!;

        public MqttTestSubscriber Reviews { get; private set; } = null!;

        public EngineUnderTest Running { get; private set; } = null!;

        public HttpClient Http { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Broker = await MosquittoBroker.StartAsync();
            Reviews = await MqttTestSubscriber.ConnectAsync(Broker.Port, "rv/reviews/#", TimeSpan.FromSeconds(10));
            var settings = new Dictionary<string, string>
            {
                ["Node:Id"] = "node-reviews",
                ["Mqtt:Host"] = "127.0.0.1",
                ["Mqtt:Port"] = Broker.Port.ToString(),
                ["Mqtt:TopicPrefix"] = "rv",
                ["Api:AnonymousReads"] = "false",
                ["Api:Tokens:0:Name"] = "ops",
                ["Api:Tokens:0:Value"] = AdminToken,
                ["Api:Tokens:0:Role"] = "admin",
                ["Api:Tokens:1:Name"] = "command-centre",
                ["Api:Tokens:1:Value"] = CommandToken,
                ["Api:Tokens:1:Role"] = "command",
                ["Api:Tokens:2:Name"] = "leader-a",
                ["Api:Tokens:2:Value"] = GridAToken,
                ["Api:Tokens:2:Role"] = "grid:grid-A",
                ["Reviews:StreamKeepAlive"] = "00:00:01",
            };
            foreach (var (index, camera, grid) in new[] { (0, "cam-a", "grid-A"), (1, "cam-b", "grid-B") })
            {
                settings[$"Cameras:{index}:Id"] = camera;
                settings[$"Cameras:{index}:Url"] = RepoPaths.VtestAvi;
                settings[$"Cameras:{index}:GridId"] = grid;
                settings[$"Cameras:{index}:Latitude"] = "31.2304";
                settings[$"Cameras:{index}:Longitude"] = (121.4737 + index * 0.01).ToString(System.Globalization.CultureInfo.InvariantCulture);
                settings[$"Cameras:{index}:DetectFps"] = "2";
                settings[$"Cameras:{index}:Rules:0:Name"] = "people";
                settings[$"Cameras:{index}:Rules:0:Type"] = "any";
                settings[$"Cameras:{index}:Rules:0:Severity"] = "low";
                settings[$"Cameras:{index}:Rules:0:Labels:0"] = "person";
            }
            Running = await EngineUnderTest.StartAsync(settings);
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Running.MetricsPort}"), Timeout = TimeSpan.FromSeconds(30) };
        }

        public async Task DisposeAsync()
        {
            Http?.Dispose();
            if (Running is not null)
                await Running.DisposeAsync();
            if (Reviews is not null)
                await Reviews.DisposeAsync();
            if (Broker is not null)
                await Broker.DisposeAsync();
        }

        public async Task<JsonArray> GetArrayAsync(string path, string token)
        {
            using var response = await Http.SendAsync(Request(HttpMethod.Get, path, token));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {response.StatusCode} {body}");
            return JsonNode.Parse(body)!.AsArray();
        }

        /// <summary>Asks until <paramref name="until"/> holds of the answer, for at most <paramref name="seconds"/>.</summary>
        public async Task<JsonArray> WaitForAsync(string path, Func<JsonArray, bool> until, int seconds)
        {
            var deadline = DateTime.UtcNow.AddSeconds(seconds);
            while (true)
            {
                var answer = await GetArrayAsync(path, AdminToken);
                if (until(answer))
                    return answer;
                Assert.True(DateTime.UtcNow < deadline, $"GET {path} never came to the state awaited in {seconds} s; the last: {answer.Count} entries");
                await Task.Delay(500);
            }
        }
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return request;
    }

    [Fact]
    public async Task Every_event_belongs_to_exactly_one_item_and_items_are_far_fewer_than_events()
    {
        // Enough ended events on one camera that a flood would show.
        var events = await engine.WaitForAsync("/api/events?camera=cam-a&limit=1000",
            e => e.Count(x => x!["endedAt"] is not null) >= 12, 150);
        var items = await engine.GetArrayAsync("/api/reviews?camera=cam-a&limit=1000", AdminToken);

        var eventIds = events.Select(e => (string)e!["id"]!).ToHashSet();
        var membership = items.SelectMany(i => i!["eventIds"]!.AsArray().Select(e => ((string)e!, (string)i["id"]!))).ToList();
        // Each event in exactly one item's list, and that item is the one the event names.
        Assert.Equal(membership.Count, membership.Select(m => m.Item1).Distinct().Count());
        var itemOf = membership.ToDictionary(m => m.Item1, m => m.Item2);
        foreach (var e in events)
            Assert.Equal((string)e!["reviewId"]!, itemOf.GetValueOrDefault((string)e["id"]!));
        Assert.Subset(itemOf.Keys.ToHashSet(), eventIds);
        foreach (var item in items)
            Assert.Equal(item!["eventIds"]!.AsArray().Count, (int)item["eventCount"]!);

        output.WriteLine($"cam-a: {events.Count} events in {items.Count} review items (ratio {(double)events.Count / items.Count:0.0})");
        Assert.True(items.Count * 3 <= events.Count, $"{items.Count} items for {events.Count} events: not far fewer");
    }

    [Fact]
    public async Task Actions_change_the_item_in_the_api_and_are_published_on_the_reviews_topic()
    {
        var items = await engine.WaitForAsync("/api/reviews?grid=grid-A", i => i.Count > 0, 120);
        var id = (string)items[0]!["id"]!;

        var acknowledged = await ActAsync(GridAToken, id, "acknowledge", """{"comment":"looking"}""");
        Assert.Equal("acknowledged", (string)acknowledged["state"]!);
        var mqtt = await engine.Reviews.WaitForAsync((topic, payload) => topic == "rv/reviews/grid-A/cam-a"
            && (string?)JsonNode.Parse(payload)!["id"] == id && (string?)JsonNode.Parse(payload)!["state"] == "acknowledged", TimeSpan.FromSeconds(15));
        var published = JsonNode.Parse(mqtt.Payload)!;
        Assert.Equal("leader-a", (string)published["history"]![0]!["by"]!);
        Assert.Equal("looking", (string)published["history"]![0]!["comment"]!);

        var assigned = await ActAsync(CommandToken, id, "assign", """{"assignee":"patrol-7"}""");
        Assert.Equal("assigned", (string)assigned["state"]!);
        Assert.Equal("patrol-7", (string)assigned["assignee"]!);

        var before = Exposition.CounterValue(await engine.Running.ScrapeMetricsAsync(), "surveillance_false_alarms_total", "camera=\"cam-a\",rule=\"people\"");
        var closed = await ActAsync(GridAToken, id, "close", """{"resolution":"false-alarm","comment":"a shadow"}""");
        Assert.Equal("false-alarm", (string)closed["state"]!);
        Assert.Equal(["acknowledge", "assign", "close"], closed["history"]!.AsArray().Select(h => (string)h!["action"]!));
        Assert.Equal(["leader-a", "command-centre", "leader-a"], closed["history"]!.AsArray().Select(h => (string)h!["by"]!));
        Assert.Equal(before + 1, Exposition.CounterValue(await engine.Running.ScrapeMetricsAsync(), "surveillance_false_alarms_total", "camera=\"cam-a\",rule=\"people\""));
        await engine.Reviews.WaitForAsync((topic, payload) => topic == "rv/reviews/grid-A/cam-a"
            && (string?)JsonNode.Parse(payload)!["id"] == id && (string?)JsonNode.Parse(payload)!["state"] == "false-alarm", TimeSpan.FromSeconds(15));

        // Stored: the API answers the state the actions left, and the events of the item carry it.
        using var stored = await engine.Http.SendAsync(Request(HttpMethod.Get, $"/api/reviews/{id}", GridAToken));
        Assert.Equal("false-alarm", (string)JsonNode.Parse(await stored.Content.ReadAsStringAsync())!["state"]!);
        var falseAlarms = await engine.GetArrayAsync("/api/events?state=false-alarm&limit=1000", CommandToken);
        Assert.NotEmpty(falseAlarms);
        Assert.All(falseAlarms, e => Assert.Equal(id, (string)e!["reviewId"]!));

        using var again = await engine.Http.SendAsync(Request(HttpMethod.Post, $"/api/reviews/{id}/acknowledge", GridAToken, "{}"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var bad = await engine.Http.SendAsync(Request(HttpMethod.Post, $"/api/reviews/{id}/close", GridAToken, """{"resolution":"solved"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_grid_token_sees_nothing_of_another_grid_on_any_route()
    {
        var eventsB = await engine.WaitForAsync("/api/events?grid=grid-B", e => e.Any(x => (bool)x!["hasSnapshot"]!), 150);
        var itemsB = await engine.WaitForAsync("/api/reviews?grid=grid-B", i => i.Any(x => (bool)x!["hasSnapshot"]!), 30);
        await engine.WaitForAsync("/api/events?grid=grid-A", e => e.Count > 0, 60);
        var eventB = (string)eventsB.First(x => (bool)x!["hasSnapshot"]!)!["id"]!;
        var itemB = (string)itemsB.First(x => (bool)x!["hasSnapshot"]!)!["id"]!;
        using (var mute = await engine.Http.SendAsync(Request(HttpMethod.Post, "/api/cameras/cam-b/mutes", AdminToken, """{"rule":"nobody","minutes":30}""")))
            Assert.Equal(HttpStatusCode.OK, mute.StatusCode);

        // What the command centre gets, the grid token must not: each route with grid B's ids.
        var reads = new[]
        {
            $"/api/events/{eventB}", $"/api/events/{eventB}/snapshot.jpg", $"/api/reviews/{itemB}", $"/api/reviews/{itemB}/snapshot.jpg",
            "/api/cameras/cam-b", "/api/cameras/cam-b/frame.jpg",
        };
        foreach (var path in reads)
        {
            using var command = await engine.Http.SendAsync(Request(HttpMethod.Get, path, CommandToken));
            Assert.True(command.StatusCode == HttpStatusCode.OK, $"command GET {path}: {command.StatusCode}");
            using var grid = await engine.Http.SendAsync(Request(HttpMethod.Get, path, GridAToken));
            Assert.True(grid.StatusCode == HttpStatusCode.NotFound, $"grid-A GET {path}: {grid.StatusCode}");
        }
        var writes = new[]
        {
            (HttpMethod.Post, $"/api/reviews/{itemB}/acknowledge", "{}"), (HttpMethod.Post, $"/api/reviews/{itemB}/assign", """{"assignee":"x"}"""),
            (HttpMethod.Post, $"/api/reviews/{itemB}/close", """{"resolution":"handled"}"""),
            (HttpMethod.Post, "/api/cameras/cam-b/mutes", """{"rule":"people","minutes":5}"""), (HttpMethod.Delete, "/api/cameras/cam-b/mutes/nobody", null),
        };
        foreach (var (method, path, body) in writes)
        {
            using var grid = await engine.Http.SendAsync(Request(method, path, GridAToken, body));
            Assert.True(grid.StatusCode == HttpStatusCode.NotFound, $"grid-A {method} {path}: {grid.StatusCode}");
        }
        using (var item = await engine.Http.SendAsync(Request(HttpMethod.Get, $"/api/reviews/{itemB}", CommandToken)))
            Assert.Equal("new", (string)JsonNode.Parse(await item.Content.ReadAsStringAsync())!["state"]!);
        Assert.Contains(await engine.GetArrayAsync("/api/mutes", CommandToken), m => (string)m!["cameraId"]! == "cam-b");

        // Lists: grid A's only, whatever grid the query names.
        foreach (var path in new[] { "/api/events?limit=1000", "/api/reviews?limit=1000", "/api/events?grid=grid-B", "/api/reviews?grid=grid-B&limit=1000", "/api/mutes", "/api/cameras" })
        {
            var list = await engine.GetArrayAsync(path, GridAToken);
            Assert.DoesNotContain("grid-B", list.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("cam-b", list.ToJsonString(), StringComparison.Ordinal);
        }
        Assert.NotEmpty(await engine.GetArrayAsync("/api/events", GridAToken));

        // Every route of the API is one of those above, so a route added without its grid test fails here.
        var document = JsonNode.Parse(await engine.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!["paths"]!.AsObject();
        var tested = new HashSet<string>(StringComparer.Ordinal)
        {
            "GET /api/events", "GET /api/events/{id}", "GET /api/events/{id}/snapshot.jpg", "GET /api/reviews", "GET /api/reviews/{id}",
            "GET /api/reviews/{id}/snapshot.jpg", "POST /api/reviews/{id}/acknowledge", "POST /api/reviews/{id}/assign", "POST /api/reviews/{id}/close",
            "GET /api/mutes", "POST /api/cameras/{id}/mutes", "DELETE /api/cameras/{id}/mutes/{rule}", "GET /api/stream",
            "GET /api/cameras", "GET /api/cameras/{id}", "GET /api/cameras/{id}/frame.jpg",
            // Camera writes are admin's only (GridAccessTests); health and metrics carry no grid's data.
            "PUT /api/cameras/{id}", "DELETE /api/cameras/{id}", "POST /api/cameras/{id}/enable", "POST /api/cameras/{id}/disable",
            "GET /api/health", "GET /metrics",
            // The console's grids and vehicles, scoped by grid in ConsoleRoutesTests and ConsoleGridScopeTests.
            "GET /api/grids", "GET /api/vehicles",
        };
        var routes = document.SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).ToList();
        Assert.DoesNotContain(routes, r => !tested.Contains(r));
    }

    [Fact]
    public async Task The_live_stream_of_a_grid_token_carries_its_grid_only_with_keep_alives()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var grid = ReadStreamAsync(GridAToken, cancel.Token);
        var command = ReadStreamAsync(CommandToken, cancel.Token);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!(command.Items.Any(i => (string)i["gridId"]! == "grid-B") && command.Items.Any(i => (string)i["gridId"]! == "grid-A")
                 && !grid.Items.IsEmpty && grid.KeepAlives >= 3))
        {
            Assert.True(DateTime.UtcNow < deadline, $"streams after 90 s: command {command.Items.Count} items, grid-A {grid.Items.Count} items and {grid.KeepAlives} keep-alives");
            await Task.Delay(250);
        }
        await cancel.CancelAsync();
        Assert.All(grid.Items, i => Assert.Equal("grid-A", (string)i["gridId"]!));
        Assert.All(grid.Items, i => Assert.Equal("cam-a", (string)i["cameraId"]!));
        output.WriteLine($"command stream: {command.Items.Count} item changes, grid-A stream: {grid.Items.Count}");

        using var anonymous = await engine.Http.SendAsync(Request(HttpMethod.Get, "/api/stream", null), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_mute_holds_back_the_rules_events_on_that_camera_until_it_expires()
    {
        await engine.WaitForAsync("/api/events?camera=cam-b", e => e.Count > 0, 150);
        var metricsBefore = Exposition.CounterValue(await engine.Running.ScrapeMetricsAsync(), "surveillance_events_muted_total", "camera=\"cam-b\",rule=\"people\"");
        var mutedAt = DateTime.UtcNow;
        var mute = await PostAsync(CommandToken, "/api/cameras/cam-b/mutes", """{"rule":"people","minutes":0.25,"comment":"market day"}""");
        var until = DateTime.Parse((string)mute["until"]!, null, System.Globalization.DateTimeStyles.RoundtripKind).ToUniversalTime();
        Assert.Equal("command-centre", (string)mute["by"]!);
        Assert.Contains(await engine.GetArrayAsync("/api/mutes", CommandToken), m => (string)m!["rule"]! == "people" && (string)m["cameraId"]! == "cam-b");

        // While it holds, people keep walking on cam-b (the counter says the rule would have fired), and no event starts.
        await Task.Delay(until - DateTime.UtcNow + TimeSpan.FromSeconds(1));
        var muted = Exposition.CounterValue(await engine.Running.ScrapeMetricsAsync(), "surveillance_events_muted_total", "camera=\"cam-b\",rule=\"people\"") - metricsBefore;
        Assert.True(muted > 0, "no event was held back in 15 s of vtest.avi");
        var during = (await engine.GetArrayAsync("/api/events?camera=cam-b&limit=1000", CommandToken))
            .Where(e => Started(e!) > mutedAt.AddSeconds(1) && Started(e!) < until).ToList();
        Assert.Empty(during);
        Assert.DoesNotContain(await engine.GetArrayAsync("/api/mutes", CommandToken), m => (string)m!["rule"]! == "people");

        // Expired: the rule opens events again.
        await engine.WaitForAsync("/api/events?camera=cam-b", e => e.Any(x => Started(x!) >= until), 60);
        output.WriteLine($"{muted} events held back by a 15 s mute");
    }

    private static DateTime Started(JsonNode e) =>
        DateTime.Parse((string)e["startedAt"]!, null, System.Globalization.DateTimeStyles.RoundtripKind).ToUniversalTime();

    private Task<JsonNode> ActAsync(string token, string id, string action, string body) => PostAsync(token, $"/api/reviews/{id}/{action}", body);

    private async Task<JsonNode> PostAsync(string token, string path, string body)
    {
        using var response = await engine.Http.SendAsync(Request(HttpMethod.Post, path, token, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private StreamReading ReadStreamAsync(string token, CancellationToken cancellationToken)
    {
        var reading = new StreamReading();
        _ = Task.Run(async () =>
        {
            try
            {
                using var http = new HttpClient { BaseAddress = engine.Http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                using var response = await http.SendAsync(Request(HttpMethod.Get, "/api/stream", token), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                string? eventName = null;
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line == ": keep-alive")
                        reading.KeepAlives++;
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                        eventName = line["event: ".Length..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "review")
                        reading.Items.Enqueue(JsonNode.Parse(line["data: ".Length..])!);
                }
            }
            catch (OperationCanceledException)
            {
                // The test has seen enough.
            }
        }, CancellationToken.None);
        return reading;
    }

    private sealed class StreamReading
    {
        public ConcurrentQueue<JsonNode> Items { get; } = new();

        public int KeepAlives { get; set; }
    }
}
