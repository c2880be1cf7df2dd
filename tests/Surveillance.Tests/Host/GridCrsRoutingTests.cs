using System.Globalization;
using Surveillance.Geodesy;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// The running engine with grid files drawn on Chinese web maps: two cameras 100 m either side of a grid border, on
/// the bundled video, and the topics their alerts arrive on. Told the file's system, each camera's alerts go to its
/// own grid; read as WGS84, the same file sends the eastern camera's alerts to the western grid. The events are
/// counted in the metrics under the grid they went to.
/// </summary>
public sealed class GridCrsRoutingTests
{
    [Theory]
    [InlineData(MapCrs.Gcj02, "gcj02", "grid-east")]
    [InlineData(MapCrs.Bd09, "bd09", "grid-east")]
    [InlineData(MapCrs.Gcj02, "wgs84", "grid-west")]
    [InlineData(MapCrs.Bd09, "wgs84", "grid-west")]
    public async Task The_eastern_cameras_alerts_go_to_the_eastern_grid_only_when_the_file_is_read_in_its_own_system(
        MapCrs drawnIn, string configuredCrs, string expectedEastGrid)
    {
        var gridFile = Path.Combine(Path.GetTempPath(), $"grids-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(gridFile, BoundaryGrids.Drawn(drawnIn));
        try
        {
            var port = FreePort.Next();
            await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
            {
                ["Mqtt:Port"] = port.ToString(),
                ["Detector:Classes:0"] = "person",
                ["Grids:File"] = gridFile,
                ["Grids:Crs"] = configuredCrs,
                ["Cameras:0:Id"] = "cam-west",
                ["Cameras:0:GridId"] = "camera-grid",
                ["Cameras:0:Latitude"] = Invariant(BoundaryGrids.WestCamera.Lat),
                ["Cameras:0:Longitude"] = Invariant(BoundaryGrids.WestCamera.Lon),
                ["Cameras:0:DetectFps"] = "2",
                ["Cameras:1:Id"] = "cam-east",
                ["Cameras:1:Url"] = RepoPaths.VtestAvi,
                ["Cameras:1:GridId"] = "camera-grid",
                ["Cameras:1:Latitude"] = Invariant(BoundaryGrids.EastCamera.Lat),
                ["Cameras:1:Longitude"] = Invariant(BoundaryGrids.EastCamera.Lon),
                ["Cameras:1:DetectFps"] = "2",
            });
            await using var alerts = await MqttTestSubscriber.ConnectAsync(port, "surveillance/alerts/#", TimeSpan.FromSeconds(10));

            var (west, _) = await alerts.WaitForAsync((t, _) => t.EndsWith("/cam-west", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var (east, _) = await alerts.WaitForAsync((t, _) => t.EndsWith("/cam-east", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

            Assert.Equal("surveillance/alerts/grid-west/cam-west", west);
            Assert.Equal($"surveillance/alerts/{expectedEastGrid}/cam-east", east);

            // Events are counted by the grid they were routed to, which is what "alerts by grid" on a dashboard reads.
            var scrape = await engine.ScrapeMetricsAsync();
            Assert.True(Exposition.CounterValue(scrape, "surveillance_events_started_total", $"camera=\"cam-east\",rule=\"any\",grid=\"{expectedEastGrid}\"") >= 1,
                $"no event of cam-east counted in {expectedEastGrid}:\n{scrape}");
            Assert.True(Exposition.CounterValue(scrape, "surveillance_events_started_total", "camera=\"cam-west\",rule=\"any\",grid=\"grid-west\"") >= 1,
                $"no event of cam-west counted in grid-west:\n{scrape}");
        }
        finally
        {
            File.Delete(gridFile);
        }
    }

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
