using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Surveillance.Cameras.Control;
using Surveillance.Host.Api;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// Access by grid on the camera routes: a grid token sees its grid's cameras and nothing of another grid (a 404,
/// exactly as for a camera that does not exist), command reads all and changes nothing, and with anonymous reads
/// off a caller without a token reads nothing. The engine's HTTP endpoint on a real socket, in front of cameras in
/// two grids.
/// </summary>
public sealed class GridAccessTests : IAsyncLifetime, IDisposable
{
    private const string AdminToken = "admin-token-0123456789abcdef";
    private const string CommandToken = "command-token-0123456789abcdef";
    private const string GridAToken = "grid-a-token-0123456789abcdef";
    private readonly ScriptedCameraControl _cameras = new ScriptedCameraControl()
        .With("cam-a1", new JsonObject { ["Id"] = "cam-a1" }, gridId: "grid-A")
        .With("cam-a2", new JsonObject { ["Id"] = "cam-a2" }, gridId: "grid-A")
        .With("cam-b1", new JsonObject { ["Id"] = "cam-b1" }, gridId: "grid-B")
        .With("cam-none", new JsonObject { ["Id"] = "cam-none" }, gridId: null);
    private readonly RecordingLoggerProvider _logs = new();
    private HttpEndpoint _endpoint = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var jpeg = await File.ReadAllBytesAsync(RepoPaths.PersonJpg);
        foreach (var id in _cameras.Views.Keys)
            _cameras.Frames[id] = jpeg;
        var port = FreePort.Next();
        _endpoint = StandaloneHttpEndpoint.Create(port, s => s.AddSingleton<ICameraControl>(_cameras),
            [
                new ApiToken { Name = "ops", Value = AdminToken, Role = "admin" },
                new ApiToken { Name = "command-centre", Value = CommandToken, Role = "command" },
                new ApiToken { Name = "leader-a", Value = GridAToken, Role = "grid:grid-A" },
            ], _logs, anonymousReads: false);
        await _endpoint.StartAsync(CancellationToken.None);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        await _endpoint.StopAsync(CancellationToken.None);
        await _endpoint.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        _logs.Dispose();
    }

    [Theory]
    [InlineData(GridAToken, new[] { "cam-a1", "cam-a2" })]
    [InlineData(CommandToken, new[] { "cam-a1", "cam-a2", "cam-b1", "cam-none" })]
    [InlineData(AdminToken, new[] { "cam-a1", "cam-a2", "cam-b1", "cam-none" })]
    public async Task The_list_holds_the_cameras_of_the_grids_the_token_may_see(string token, string[] expected)
    {
        using var response = await _http.SendAsync(Get("/api/cameras", token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cameras = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(expected, cameras.Select(c => (string)c!["id"]!));
    }

    [Theory]
    [InlineData("cam-b1")]
    [InlineData("cam-none")]
    public async Task A_camera_of_another_grid_is_a_404_on_every_read_route_as_if_it_did_not_exist(string hidden)
    {
        foreach (var route in new[] { "/api/cameras/{0}", "/api/cameras/{0}/frame.jpg" })
        {
            using var other = await _http.SendAsync(Get(string.Format(route, hidden), GridAToken));
            using var unknown = await _http.SendAsync(Get(string.Format(route, "cam-nowhere"), GridAToken));
            var otherBody = await other.Content.ReadAsStringAsync();
            Assert.True(other.StatusCode == HttpStatusCode.NotFound, $"{route} of {hidden}: {other.StatusCode} {otherBody}");
            Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
            // Nothing tells the grid token that the camera exists: the same answer as for an id that names nothing.
            Assert.Equal(WithoutTrace((await unknown.Content.ReadAsStringAsync()).Replace("cam-nowhere", hidden, StringComparison.Ordinal)), WithoutTrace(otherBody));
            Assert.DoesNotContain("grid-B", otherBody, StringComparison.Ordinal);

            using var own = await _http.SendAsync(Get(string.Format(route, "cam-a1"), GridAToken));
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            using var command = await _http.SendAsync(Get(string.Format(route, hidden), CommandToken));
            Assert.Equal(HttpStatusCode.OK, command.StatusCode);
        }
    }

    [Theory]
    [InlineData(GridAToken, "leader-a", "grid")]
    [InlineData(CommandToken, "command-centre", "command")]
    public async Task Only_admin_changes_cameras_and_the_others_get_a_403_for_any_camera_of_any_grid(string token, string name, string role)
    {
        foreach (var id in new[] { "cam-a1", "cam-b1", "cam-nowhere" })
        {
            foreach (var request in WritesTo(id))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await _http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{request.Method} {request.RequestUri}: {response.StatusCode} {body}");
                Assert.Contains($"role '{role}' may not change cameras (only admin may)", body, StringComparison.Ordinal);
            }
        }
        Assert.Empty(_cameras.Writes);
        Assert.Contains(_logs.Lines, l => l.Contains($"refused POST /api/cameras/cam-b1/disable: role '{role}' may not change cameras (token {name})", StringComparison.Ordinal));

        using var admin = await _http.SendAsync(Authorized(new HttpRequestMessage(HttpMethod.Post, "/api/cameras/cam-b1/disable"), AdminToken));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(["DISABLE cam-b1"], _cameras.Writes);
    }

    [Theory]
    [InlineData(null, "Bearer")]
    [InlineData("not-a-configured-token-0123456789", "Bearer error=\"invalid_token\"")]
    public async Task With_anonymous_reads_off_a_read_without_a_known_token_is_a_401(string? token, string challenge)
    {
        foreach (var path in new[] { "/api/cameras", "/api/cameras/cam-a1", "/api/cameras/cam-a1/frame.jpg" })
        {
            using var response = await _http.SendAsync(Get(path, token));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode} {body}");
            Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
            Assert.Contains("a read needs 'Authorization: Bearer <token>'", body, StringComparison.Ordinal);
            Assert.DoesNotContain("cam-a", body.Replace(path, "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_metrics_and_the_openapi_document_stay_open()
    {
        using var metrics = await _http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        using var document = await _http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    [Fact]
    public async Task Every_camera_route_of_the_openapi_document_is_covered_here()
    {
        var paths = JsonNode.Parse(await _http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!["paths"]!.AsObject();
        var routes = paths.Where(p => p.Key.StartsWith("/api/cameras", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).Order(StringComparer.Ordinal);
        // A camera route added without a test here of what a grid token gets from it fails this test.
        Assert.Equal(
            ["DELETE /api/cameras/{id}", "GET /api/cameras", "GET /api/cameras/{id}", "GET /api/cameras/{id}/frame.jpg",
             "POST /api/cameras/{id}/disable", "POST /api/cameras/{id}/enable", "PUT /api/cameras/{id}"],
            routes);
    }

    /// <summary>The problem body without its traceId, which differs on every answer.</summary>
    private static string WithoutTrace(string problem)
    {
        var json = JsonNode.Parse(problem)!.AsObject();
        json.Remove("traceId");
        return json.ToJsonString();
    }

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        return token is null ? request : Authorized(request, token);
    }

    private static HttpRequestMessage Authorized(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static HttpRequestMessage[] WritesTo(string id) =>
    [
        new(HttpMethod.Put, $"/api/cameras/{id}") { Content = new StringContent("""{"Name":"Gate"}""", Encoding.UTF8, "application/json") },
        new(HttpMethod.Delete, $"/api/cameras/{id}"),
        new(HttpMethod.Post, $"/api/cameras/{id}/enable"),
        new(HttpMethod.Post, $"/api/cameras/{id}/disable"),
    ];
}
