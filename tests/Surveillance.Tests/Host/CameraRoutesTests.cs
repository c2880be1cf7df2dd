using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Surveillance.Cameras.Control;
using Surveillance.Host.Api;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// The camera routes of the control API as HTTP: status codes, problem bodies, tokens, the body's limits. The
/// engine's HTTP endpoint on a real socket, in front of a scripted camera control.
/// </summary>
public sealed class CameraRoutesTests : IAsyncLifetime, IDisposable
{
    private const string AdminToken = "admin-token-0123456789abcdef";
    private readonly ScriptedCameraControl _cameras = new ScriptedCameraControl()
        .With("cam-1", new JsonObject { ["Id"] = "cam-1", ["Url"] = "rtsp://***@10.0.0.5/stream" })
        .With("cam-2");
    private readonly RecordingLoggerProvider _logs = new();
    private HttpEndpoint _endpoint = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _endpoint = StandaloneHttpEndpoint.Create(port, s => s.AddSingleton<ICameraControl>(_cameras),
            [new ApiToken { Name = "ops-console", Value = AdminToken, Role = "admin" }], _logs);
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

    [Fact]
    public async Task Lists_the_cameras_as_camelCase_views_ordered_by_id()
    {
        using var response = await _http.GetAsync(new Uri("/api/cameras", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var cameras = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["cam-1", "cam-2"], cameras.Select(c => (string)c!["id"]!));
        Assert.Equal(
            ["id", "name", "kind", "gridId", "enabled", "state", "grade", "fps", "lastFrameAt", "nodeId", "latitude", "longitude"],
            cameras[0]!.AsObject().Select(p => p.Key));
        Assert.Equal("2026-01-02T03:04:05Z", (string)cameras[0]!["lastFrameAt"]!);
    }

    [Fact]
    public async Task One_camera_is_its_view_and_its_settings_and_an_unknown_one_is_a_404_problem()
    {
        var camera = JsonNode.Parse(await _http.GetStringAsync(new Uri("/api/cameras/cam-1", UriKind.Relative)))!.AsObject();
        Assert.Equal("cam-1", (string)camera["id"]!);
        Assert.Equal("streaming", (string)camera["state"]!);
        Assert.Equal("rtsp://***@10.0.0.5/stream", (string)camera["settings"]!["Url"]!);
        // Every field of the view is there: a field added to CameraView and forgotten in the answer fails here.
        foreach (var property in typeof(CameraView).GetProperties())
            Assert.True(camera.ContainsKey(JsonNamingPolicy.CamelCase.ConvertName(property.Name)), $"no {property.Name} in {camera}");

        using var unknown = await _http.GetAsync(new Uri("/api/cameras/cam-9", UriKind.Relative));
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "no camera 'cam-9'");
    }

    [Fact]
    public async Task The_latest_frame_is_a_jpeg_and_a_camera_without_one_is_a_404()
    {
        var jpeg = await File.ReadAllBytesAsync(RepoPaths.PersonJpg);
        _cameras.Frames["cam-1"] = jpeg;

        using var frame = await _http.GetAsync(new Uri("/api/cameras/cam-1/frame.jpg", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
        Assert.Equal("image/jpeg", frame.Content.Headers.ContentType?.MediaType);
        Assert.Equal(jpeg, await frame.Content.ReadAsByteArrayAsync());

        using var none = await _http.GetAsync(new Uri("/api/cameras/cam-2/frame.jpg", UriKind.Relative));
        await AssertProblemAsync(none, HttpStatusCode.NotFound, "camera 'cam-2' is not running or delivered no frame within a few seconds");
        using var unknown = await _http.GetAsync(new Uri("/api/cameras/cam-9/frame.jpg", UriKind.Relative));
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "no camera 'cam-9'");
    }

    [Theory]
    [InlineData(null, "Bearer")]
    [InlineData("Basic YWRtaW46YWRtaW4=", "Bearer")]
    [InlineData("Bearer not-the-admin-token-0123456789", "Bearer error=\"invalid_token\"")]
    [InlineData("Bearer " + AdminToken + "x", "Bearer error=\"invalid_token\"")]
    public async Task A_write_without_a_known_token_is_a_401_that_reaches_no_camera(string? authorization, string challenge)
    {
        foreach (var request in WritesTo("cam-1"))
        {
            if (authorization is not null)
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await _http.SendAsync(request);
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Bearer <token>");
            Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
        }
        Assert.Empty(_cameras.Writes);
    }

    [Fact]
    public async Task A_refused_write_is_logged_with_method_path_and_reason_and_never_a_token_value()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/cameras/cam-1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token-presented-by-caller");
        using var refused = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var accepted = await _http.SendAsync(Authorized(new HttpRequestMessage(HttpMethod.Delete, "/api/cameras/cam-1")));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        Assert.Contains(_logs.Lines, l => l.Contains("refused DELETE /api/cameras/cam-1: unknown token", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("wrong-token-presented", StringComparison.Ordinal) || l.Contains(AdminToken, StringComparison.Ordinal));
        Assert.Equal(["DELETE cam-1"], _cameras.Writes);
    }

    [Fact]
    public async Task Each_write_reaches_the_camera_control_with_the_admin_token()
    {
        foreach (var request in WritesTo("cam-2"))
        {
            using var response = await _http.SendAsync(Authorized(request));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request.Method} {request.RequestUri}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(["PUT cam-2 {\"Name\":\"Gate\",\"Id\":\"cam-2\"}", "DELETE cam-2", "ENABLE cam-2", "DISABLE cam-2"], _cameras.Writes);
    }

    [Theory]
    [InlineData(CameraWriteOutcome.Created, HttpStatusCode.Created)]
    [InlineData(CameraWriteOutcome.Replaced, HttpStatusCode.OK)]
    [InlineData(CameraWriteOutcome.Unchanged, HttpStatusCode.OK)]
    [InlineData(CameraWriteOutcome.NotFound, HttpStatusCode.NotFound)]
    public async Task A_put_answers_with_the_outcome_and_the_camera(CameraWriteOutcome outcome, HttpStatusCode expected)
    {
        _cameras.NextWrite = CameraWrite.Of(outcome);
        using var response = await _http.SendAsync(Authorized(Put("cam-1", """{"Id":"cam-1","Name":"Gate"}""")));

        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.NotFound)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return;
        }
        Assert.Equal("cam-1", (string)JsonNode.Parse(body)!["id"]!);
        if (expected == HttpStatusCode.Created)
            Assert.Equal("/api/cameras/cam-1", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_refused_record_is_a_400_listing_each_error_and_a_conflict_a_409_with_its_message()
    {
        _cameras.NextWrite = new CameraWrite(CameraWriteOutcome.Invalid, ["Url: is required", "DetectFps: must be greater than 0 and at most 60 (was 0)"]);
        using var invalid = await _http.SendAsync(Authorized(Put("cam-1", """{"DetectFps":0}""")));
        var problem = await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "the record of camera 'cam-1' was refused");
        Assert.Equal(["Url: is required", "DetectFps: must be greater than 0 and at most 60 (was 0)"], problem["errors"]!.AsArray().Select(e => (string)e!));

        _cameras.NextWrite = new CameraWrite(CameraWriteOutcome.Conflict, ["camera 'cam-1' is defined in configuration (Cameras:0); change it there"]);
        using var conflict = await _http.SendAsync(Authorized(new HttpRequestMessage(HttpMethod.Post, "/api/cameras/cam-1/disable")));
        await AssertProblemAsync(conflict, HttpStatusCode.Conflict, "camera 'cam-1' is defined in configuration (Cameras:0); change it there");
    }

    [Theory]
    [InlineData("{\"Name\":", "the body is not valid JSON")]
    [InlineData("[{\"Id\":\"cam-1\"}]", "the body must be a JSON object (the camera's record), not an array")]
    [InlineData("\"cam-1\"", "the body must be a JSON object (the camera's record), not a string")]
    [InlineData("null", "the body must be a JSON object (the camera's record), not null")]
    [InlineData("", "the body is empty")]
    [InlineData("{\"Id\":\"cam-2\"}", "the body's Id 'cam-2' is not the id in the path, 'cam-1'")]
    [InlineData("{\"id\":7}", "the body's id must be a string")]
    [InlineData("{\"Name\":\"a\",\"Name\":\"b\"}", "the body is not valid JSON: Duplicate property 'Name'")]
    public async Task A_body_that_is_not_a_camera_record_is_a_400_saying_what_is_wrong(string body, string message)
    {
        using var response = await _http.SendAsync(Authorized(Put("cam-1", body)));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, message);
        Assert.Empty(_cameras.Writes);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_refused_whether_or_not_it_says_its_length()
    {
        var large = "{\"Name\":\"" + new string('x', CameraRecordBody.MaxBytes) + "\"}";
        using var declared = await _http.SendAsync(Authorized(Put("cam-1", large)));
        await AssertProblemAsync(declared, HttpStatusCode.BadRequest, "at most 1048576 bytes (1 MiB) are accepted");

        var chunked = Put("cam-1", large);
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(large)));
        using var streamed = await _http.SendAsync(Authorized(chunked));
        await AssertProblemAsync(streamed, HttpStatusCode.BadRequest, "the body is over 1048576 bytes (1 MiB)");
        Assert.Empty(_cameras.Writes);
    }

    private static HttpRequestMessage[] WritesTo(string id) =>
    [
        Put(id, """{"Name":"Gate"}"""),
        new(HttpMethod.Delete, $"/api/cameras/{id}"),
        new(HttpMethod.Post, $"/api/cameras/{id}/enable"),
        new(HttpMethod.Post, $"/api/cameras/{id}/disable"),
    ];

    private static HttpRequestMessage Put(string id, string json) =>
        new(HttpMethod.Put, $"/api/cameras/{id}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return request;
    }

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.Contains(detailContains, (string?)problem["detail"] ?? "", StringComparison.Ordinal);
        return problem;
    }
}
