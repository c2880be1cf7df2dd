using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Surveillance.Alerts.Dispatch;
using Surveillance.Host.Api;
using Surveillance.Ingest.Vehicles;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// What the console reads besides the cameras: the grid polygons and the patrol cars' positions, each scoped by grid,
/// and the console's own files at <c>/</c>. The engine's HTTP endpoint on a real socket, over a real grid map loaded
/// from a file and a vehicle registry fed real position reports.
/// </summary>
public sealed class ConsoleRoutesTests : IAsyncLifetime, IDisposable
{
    private const string CommandToken = "command-token-0123456789abcdef";
    private const string GridToken = "grid-token-0123456789abcdef";
    private readonly string _gridFile = Path.Combine(Path.GetTempPath(), $"console-grids-{Guid.NewGuid():N}.json");
    private readonly VehicleRegistry _vehicles = new(["car-1", "car-2", "car-3"], new VehicleOptions(), TimeProvider.System);
    private GridMap _grids = null!;
    private HttpEndpoint _endpoint = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // Two grids side by side, G-0-0 named as the file names it; G-0-1 gets the generated name.
        await File.WriteAllTextAsync(_gridFile, GridFile.Generate(columns: 2, rows: 1));
        _grids = new GridMap(Options.Create(new GridOptions { File = _gridFile }), NullLogger<GridMap>.Instance);
        await _grids.StartAsync(CancellationToken.None);
        Report("car-1", GridFile.Centre(0, 0));
        Report("car-2", GridFile.Centre(0, 1));
        Report("car-3", (GridFile.Lat0 - 0.01, GridFile.Lon0)); // outside every grid

        var port = FreePort.Next();
        _endpoint = StandaloneHttpEndpoint.Create(port, s => s.AddSingleton(_grids).AddSingleton(_vehicles),
            [
                new ApiToken { Name = "command-centre", Value = CommandToken, Role = "command" },
                new ApiToken { Name = "leader-0-1", Value = GridToken, Role = "grid:G-0-1" },
            ], anonymousReads: false);
        await _endpoint.StartAsync(CancellationToken.None);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    private void Report(string vehicleId, (double Lat, double Lon) at)
    {
        var json = string.Create(CultureInfo.InvariantCulture, $$"""{"lat":{{at.Lat}},"lon":{{at.Lon}},"fixTime":"{{DateTime.UtcNow:O}}"}""");
        Assert.Equal(GpsFixRejection.None, _vehicles.Accept(vehicleId, Encoding.UTF8.GetBytes(json)));
    }

    public async Task DisposeAsync()
    {
        await _endpoint.StopAsync(CancellationToken.None);
        await _endpoint.DisposeAsync();
        _grids.Dispose();
        File.Delete(_gridFile);
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_grids_are_a_GeoJSON_feature_collection_with_id_and_name_in_the_files_order()
    {
        using var response = await _http.SendAsync(Get("/api/grids", CommandToken));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var collection = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("FeatureCollection", (string)collection["type"]!);
        var features = collection["features"]!.AsArray();
        Assert.Equal(["G-0-0", "G-0-1"], features.Select(f => (string)f!["properties"]!["id"]!));
        Assert.Equal("grid G-0-0", (string)features[0]!["properties"]!["name"]!);
        var geometry = features[0]!["geometry"]!;
        Assert.Equal("Polygon", (string)geometry["type"]!);
        // GeoJSON order, longitude first: the south-west corner of the first grid.
        var corner = geometry["coordinates"]![0]![0]!.AsArray();
        Assert.Equal([GridFile.Lon0, GridFile.Lat0], corner.Select(c => (double)c!));
    }

    [Fact]
    public async Task The_vehicles_are_their_latest_fixes_with_the_grid_containing_each()
    {
        using var response = await _http.SendAsync(Get("/api/vehicles", CommandToken));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var vehicles = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["car-1", "car-2", "car-3"], vehicles.Select(v => (string)v!["vehicleId"]!));
        Assert.Equal(["G-0-0", "G-0-1", null], vehicles.Select(v => (string?)v!["gridId"]));
        Assert.Equal(["vehicleId", "lat", "lon", "at", "gridId"], vehicles[0]!.AsObject().Select(p => p.Key));
        Assert.Equal(GridFile.Centre(0, 0).Lat, (double)vehicles[0]!["lat"]!, 9);
        Assert.InRange(DateTime.UtcNow - (DateTime)vehicles[0]!["at"]!, TimeSpan.Zero, TimeSpan.FromMinutes(1));

        // A later fix moves the car; the list says where it is now.
        Report("car-1", GridFile.Centre(0, 1));
        var moved = JsonNode.Parse(await (await _http.SendAsync(Get("/api/vehicles", CommandToken))).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal("G-0-1", (string?)moved[0]!["gridId"]);
    }

    [Fact]
    public async Task A_grid_token_gets_its_own_grid_and_the_cars_inside_it_and_no_token_gets_a_401()
    {
        var grids = JsonNode.Parse(await (await _http.SendAsync(Get("/api/grids", GridToken))).Content.ReadAsStringAsync())!;
        Assert.Equal(["G-0-1"], grids["features"]!.AsArray().Select(f => (string)f!["properties"]!["id"]!));
        var vehicles = JsonNode.Parse(await (await _http.SendAsync(Get("/api/vehicles", GridToken))).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["car-2"], vehicles.Select(v => (string)v!["vehicleId"]!));

        foreach (var route in new[] { "/api/grids", "/api/vehicles" })
        {
            using var anonymous = await _http.SendAsync(Get(route, token: null));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
    }

    [Fact]
    public async Task The_console_is_served_at_the_root_without_a_token_with_leaflet_and_a_policy_that_keeps_it_on_this_endpoint()
    {
        using var page = await _http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"js/main.js\"></script>", html, StringComparison.Ordinal);
        Assert.Equal(ConsoleFiles.ContentSecurityPolicy, string.Join(",", page.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("connect-src 'self'", ConsoleFiles.ContentSecurityPolicy, StringComparison.Ordinal);

        // Leaflet as the build copied it from npm, and the page's own modules.
        foreach (var (path, type) in new[] { ("/vendor/leaflet/leaflet-src.esm.js", "text/javascript"), ("/vendor/leaflet/leaflet.css", "text/css"), ("/js/main.js", "text/javascript") })
        {
            using var file = await _http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{path}: {file.StatusCode}");
            Assert.Equal(type, file.Content.Headers.ContentType?.MediaType);
        }
        var leaflet = await _http.GetStringAsync(new Uri("/vendor/leaflet/leaflet-src.esm.js", UriKind.Relative));
        Assert.Contains("var version = \"1.9.4\";", leaflet, StringComparison.Ordinal);

        using var missing = await _http.GetAsync(new Uri("/no-such-file.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
