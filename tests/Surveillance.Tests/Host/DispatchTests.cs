using System.Globalization;
using System.Text.Json;
using Surveillance.Analytics.Geo;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>
/// Routing on real parts: a grid file of 1,200 grids, patrol cars publishing positions to mosquitto, a
/// calibrated camera, and the alerts a grid operator receives.
/// </summary>
public sealed class DispatchTests(ITestOutputHelper output)
{
    private const double MetresPerDegreeLat = 6_371_008.8 * Math.PI / 180;

    [Fact]
    public async Task Alerts_go_to_the_grid_that_contains_them_list_the_nearest_cars_and_follow_a_reloaded_grid_file()
    {
        var gridFile = Path.Combine(Path.GetTempPath(), $"grids-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(gridFile, GridFile.Generate(40, 30));
        var (camLat, camLon) = GridFile.Centre(5, 7);
        double LonPerMetre(double lat) => 1 / (MetresPerDegreeLat * Math.Cos(lat * Math.PI / 180));

        await using var broker = await MosquittoBroker.StartAsync();
        await using var alerts = await MqttTestSubscriber.ConnectAsync(broker.Port, "d/alerts/#", TimeSpan.FromSeconds(10));
        // Three patrol cars: 300 m north, 800 m east, 2.5 km south-west (outside the 1 km radius).
        await using var car1 = await VehicleSimulator.StartAsync(broker.Port, "d/vehicles/car-1/position", camLat + 300 / MetresPerDegreeLat, camLon, speed: 0);
        await using var car2 = await VehicleSimulator.StartAsync(broker.Port, "d/vehicles/car-2/position", camLat, camLon + 800 * LonPerMetre(camLat), speed: 0);
        await using var car3 = await VehicleSimulator.StartAsync(broker.Port, "d/vehicles/car-3/position", camLat - 1800 / MetresPerDegreeLat, camLon - 1800 * LonPerMetre(camLat), speed: 0);

        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = broker.Port.ToString(),
            ["Mqtt:TopicPrefix"] = "d",
            ["Alerts:UpdateIntervalSeconds"] = "1",
            ["Detector:Classes:0"] = "person",
            ["Grids:File"] = gridFile,
            ["Vehicles:Ids:0"] = "car-1",
            ["Vehicles:Ids:1"] = "car-2",
            ["Vehicles:Ids:2"] = "car-3",
            ["Dispatch:NearbyVehicleRadiusMetres"] = "1000",
            ["Cameras:0:Id"] = "in-grid",
            ["Cameras:0:GridId"] = "camera-grid",
            ["Cameras:0:Latitude"] = camLat.ToString(CultureInfo.InvariantCulture),
            ["Cameras:0:Longitude"] = camLon.ToString(CultureInfo.InvariantCulture),
            ["Cameras:1:Id"] = "outside",
            ["Cameras:1:Url"] = RepoPaths.VtestAvi,
            ["Cameras:1:GridId"] = "camera-grid",
            ["Cameras:1:Latitude"] = "31.2304",
            ["Cameras:1:Longitude"] = "121.4737",
            ["Cameras:1:DetectFps"] = "1",
            ["Cameras:2:Id"] = "nowhere",
            ["Cameras:2:Url"] = RepoPaths.VtestAvi,
            ["Cameras:2:Latitude"] = "31.2304",
            ["Cameras:2:Longitude"] = "121.4737",
            ["Cameras:2:DetectFps"] = "1",
        });

        // Inside G-5-7: routed there, with the two cars in range, nearest first, at the right distances.
        var (topic, payload) = await alerts.WaitForAsync((t, _) => t.EndsWith("/in-grid", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("d/alerts/G-5-7/in-grid", topic);
        var alert = JsonDocument.Parse(payload).RootElement;
        Assert.Equal("G-5-7", alert.GetProperty("gridId").GetString());
        var nearby = alert.GetProperty("nearbyVehicles").EnumerateArray().ToList();
        Assert.Equal(["car-1", "car-2"], nearby.Select(v => v.GetProperty("vehicleId").GetString()));
        var expected = new[] { Geo.DistanceMetres(camLat, camLon, car1.StartLat, car1.Lon), Geo.DistanceMetres(camLat, camLon, car2.StartLat, car2.Lon) };
        for (var i = 0; i < 2; i++)
        {
            output.WriteLine($"{nearby[i].GetProperty("vehicleId").GetString()}: {nearby[i].GetProperty("distanceM").GetDouble()} m (haversine {expected[i]:0.00} m)");
            Assert.InRange(nearby[i].GetProperty("distanceM").GetDouble(), expected[i] - 1, expected[i] + 1);
            Assert.InRange(nearby[i].GetProperty("fixAgeMs").GetInt64(), 0, 5000);
        }

        // Outside every grid: the camera's own grid; with none configured: unassigned.
        Assert.Equal("d/alerts/camera-grid/outside",
            (await alerts.WaitForAsync((t, _) => t.EndsWith("/outside", StringComparison.Ordinal), TimeSpan.FromSeconds(30))).Topic);
        Assert.Equal("d/alerts/unassigned/nowhere",
            (await alerts.WaitForAsync((t, _) => t.EndsWith("/nowhere", StringComparison.Ordinal), TimeSpan.FromSeconds(30))).Topic);

        // The grid file changes under the running engine: G-5-7 is split off as a new grid.
        var (south, west) = (GridFile.Lat0 + 5 * GridFile.CellDegrees, GridFile.Lon0 + 7 * GridFile.CellDegrees);
        var renamed = GridFile.Polygon("G-market", [(west, south), (west + GridFile.CellDegrees, south), (west + GridFile.CellDegrees, south + GridFile.CellDegrees), (west, south + GridFile.CellDegrees), (west, south)]);
        await File.WriteAllTextAsync(gridFile, GridFile.Generate(0, 0, renamed));
        var (newTopic, _) = await alerts.WaitForAsync((t, _) => t == "d/alerts/G-market/in-grid", TimeSpan.FromSeconds(30));
        Assert.Equal("d/alerts/G-market/in-grid", newTopic);

        // No alert was lost across the reload: the camera's numbering has no hole.
        await engine.StopAsync();
        await Task.Delay(1000);
        var seqs = alerts.History
            .Select(m => JsonDocument.Parse(m.Payload).RootElement)
            .Where(a => a.GetProperty("cameraId").GetString() == "in-grid")
            .Select(a => a.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range((int)seqs[0], seqs.Count).Select(i => (long)i), seqs);
        File.Delete(gridFile);
    }

    [Fact]
    public async Task A_calibrated_camera_places_each_alert_where_the_object_stands()
    {
        // Four corners of the walkway area of vtest.avi's view tied to ground points of a made-up survey.
        (double X, double Y, double Lat, double Lon)[] points =
        [
            (0.05, 0.95, 22.54300, 114.05790), (0.95, 0.95, 22.54300, 114.05830),
            (0.90, 0.20, 22.54360, 114.05825), (0.10, 0.20, 22.54360, 114.05795), (0.50, 0.55, 22.54330, 114.05810),
        ];
        var settings = new Dictionary<string, string>
        {
            ["Alerts:UpdateIntervalSeconds"] = "1",
            ["Detector:Classes:0"] = "person",
            ["Mqtt:Port"] = FreePort.Next().ToString(),
        };
        for (var i = 0; i < points.Length; i++)
        {
            settings[$"Cameras:0:Calibration:Points:{i}:X"] = points[i].X.ToString(CultureInfo.InvariantCulture);
            settings[$"Cameras:0:Calibration:Points:{i}:Y"] = points[i].Y.ToString(CultureInfo.InvariantCulture);
            settings[$"Cameras:0:Calibration:Points:{i}:Lat"] = points[i].Lat.ToString(CultureInfo.InvariantCulture);
            settings[$"Cameras:0:Calibration:Points:{i}:Lon"] = points[i].Lon.ToString(CultureInfo.InvariantCulture);
        }
        settings["Cameras:0:Calibration:MaxErrorMetres"] = "5";
        await using var engine = await EngineUnderTest.StartAsync(settings);
        await using var alerts = await MqttTestSubscriber.ConnectAsync(int.Parse(settings["Mqtt:Port"]), "surveillance/alerts/#", TimeSpan.FromSeconds(10));
        var projection = GroundProjection.Fit(points);

        for (var n = 0; n < 3; n++)
        {
            var (_, payload) = await alerts.WaitForAsync((_, _) => true, TimeSpan.FromSeconds(30));
            var alert = JsonDocument.Parse(payload).RootElement;
            var location = alert.GetProperty("location");
            var box = alert.GetProperty("box");
            var (lat, lon) = projection.Project(
                (box.GetProperty("x1").GetInt32() + box.GetProperty("x2").GetInt32()) / 2.0 / box.GetProperty("frameWidth").GetInt32(),
                box.GetProperty("y2").GetInt32() / (double)box.GetProperty("frameHeight").GetInt32());
            Assert.Equal("ground-projected", location.GetProperty("source").GetString());
            // The box in the message is rounded to whole pixels; at this scale a pixel is well under a metre.
            Assert.True(Geo.DistanceMetres(lat, lon, location.GetProperty("lat").GetDouble(), location.GetProperty("lon").GetDouble()) < 1);
        }
    }
}
