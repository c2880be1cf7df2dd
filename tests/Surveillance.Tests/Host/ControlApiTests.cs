using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Surveillance.Cameras.Control;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>The real engine, started as the binary starts it, with a token and cameras under control: its HTTP endpoint end to end.</summary>
public sealed class ControlApiTests(ControlApiTests.Engine engine) : IClassFixture<ControlApiTests.Engine>
{
    public const string AdminToken = "control-api-test-token-5f0c2a9e";

    public sealed class Engine : IAsyncLifetime
    {
        public RecordingLoggerProvider Logs { get; } = new();

        public ScriptedCameraControl Cameras { get; } = new ScriptedCameraControl().With("cam-1");

        public EngineUnderTest Running { get; private set; } = null!;

        public HttpClient Http { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Running = await EngineUnderTest.StartAsync(new Dictionary<string, string>
            {
                ["Mqtt:Port"] = FreePort.Next().ToString(),
                ["Node:Id"] = "api-test-node",
                ["Api:Tokens:0:Name"] = "ops-console",
                ["Api:Tokens:0:Value"] = AdminToken,
                ["Api:Tokens:0:Role"] = "admin",
            }, Logs, services => services.AddSingleton<ICameraControl>(Cameras));
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Running.MetricsPort}"), Timeout = TimeSpan.FromSeconds(10) };
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Running.DisposeAsync();
            Logs.Dispose();
        }
    }

    [Fact]
    public async Task Health_is_200_with_the_node_and_this_process_once_the_engine_is_ready()
    {
        var (status, health) = await WaitForHealthAsync(engine.Http, h => (bool)h["ready"]!);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", (string)health["status"]!);
        Assert.Equal("api-test-node", (string)health["nodeId"]!);
        Assert.Equal(Environment.ProcessId, (int)health["processId"]!);
        Assert.True((bool)health["mqttConnected"]!);
        Assert.Matches("^[0-9a-f]{12}$", (string)health["instanceId"]!);
        Assert.InRange(DateTime.Parse((string)health["startedAt"]!, null, System.Globalization.DateTimeStyles.RoundtripKind),
            DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow);
    }

    [Fact]
    public async Task The_metrics_are_still_served_beside_the_api()
    {
        using var response = await engine.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("# TYPE process_cpu_seconds_total counter", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route_with_a_summary_and_its_codes()
    {
        var document = JsonNode.Parse(await engine.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var paths = document["paths"]!.AsObject();

        Assert.Equal(
            ["/api/cameras", "/api/cameras/{id}", "/api/cameras/{id}/disable", "/api/cameras/{id}/enable", "/api/cameras/{id}/frame.jpg",
             "/api/cameras/{id}/mutes", "/api/cameras/{id}/mutes/{rule}", "/api/events", "/api/events/{id}", "/api/events/{id}/snapshot.jpg",
             "/api/grids", "/api/health", "/api/mutes", "/api/reviews", "/api/reviews/{id}", "/api/reviews/{id}/acknowledge", "/api/reviews/{id}/assign",
             "/api/reviews/{id}/close", "/api/reviews/{id}/snapshot.jpg", "/api/stream", "/api/vehicles", "/metrics", ],
            paths.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var (path, operations) in paths)
        {
            foreach (var (method, operation) in operations!.AsObject())
                Assert.False(string.IsNullOrWhiteSpace((string?)operation!["summary"]), $"{method} {path} has no summary");
        }
        var put = paths["/api/cameras/{id}"]!["put"]!;
        Assert.Equal(["200", "201", "400", "401", "403", "409"], put["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.NotNull(put["security"]![0]!["bearer"]);
        Assert.Null(paths["/api/cameras/{id}"]!["get"]!["security"]);
        Assert.Contains("404", paths["/api/cameras/{id}/frame.jpg"]!["get"]!["responses"]!.AsObject().Select(r => r.Key));
        Assert.Equal("http", (string)document["components"]!["securitySchemes"]!["bearer"]!["type"]!);
    }

    [Fact]
    public async Task A_write_needs_the_admin_token_and_reads_need_none()
    {
        using var list = await engine.Http.GetAsync(new Uri("/api/cameras", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("cam-1", (string)JsonNode.Parse(await list.Content.ReadAsStringAsync())![0]!["id"]!);

        using var none = await engine.Http.SendAsync(Disable(null));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.ToString());
        using var wrong = await engine.Http.SendAsync(Disable("wrong-token-but-long-enough-1234"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Empty(engine.Cameras.Writes);

        using var admin = await engine.Http.SendAsync(Disable(AdminToken));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(["DISABLE cam-1"], engine.Cameras.Writes);

        Assert.Contains(engine.Logs.Lines, l => l.Contains("refused POST /api/cameras/cam-1/disable: no Authorization header", StringComparison.Ordinal));
        Assert.Contains(engine.Logs.Lines, l => l.Contains("refused POST /api/cameras/cam-1/disable: unknown token", StringComparison.Ordinal));
        Assert.DoesNotContain(engine.Logs.Lines, l => l.Contains(AdminToken, StringComparison.Ordinal) || l.Contains("wrong-token", StringComparison.Ordinal));
    }

    [Fact]
    public void The_start_line_gives_the_url_and_no_token()
    {
        var url = $"http://127.0.0.1:{engine.Running.MetricsPort}/";
        Assert.Contains(engine.Logs.Lines, l => l.Contains($"Metrics at {url}metrics, control API at {url}api (writes need a token)", StringComparison.Ordinal));
        Assert.DoesNotContain(engine.Logs.Lines, l => l.Contains(AdminToken, StringComparison.Ordinal));
    }

    private static HttpRequestMessage Disable(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/cameras/cam-1/disable") { Content = new StringContent("", Encoding.UTF8) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>Asks for the health until <paramref name="until"/> holds, for at most 60 s.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode Health)> WaitForHealthAsync(HttpClient http, Func<JsonNode, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await http.GetAsync(new Uri("/api/health", UriKind.Relative));
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (until(health))
                return (response.StatusCode, health);
            Assert.True(DateTime.UtcNow < deadline, $"the health never came to the state awaited in 60 s; the last: {(int)response.StatusCode} {health.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
