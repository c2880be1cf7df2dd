using Surveillance.Alerts.Dispatch;
using Surveillance.Geodesy;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Dispatch;

/// <summary>Grid polygons drawn on Chinese web maps, read with and without their coordinate system.</summary>
public sealed class GridCrsTests
{
    [Theory]
    [InlineData(MapCrs.Wgs84)]
    [InlineData(MapCrs.Gcj02)]
    [InlineData(MapCrs.Bd09)]
    public void Grids_read_in_the_system_they_were_drawn_in_route_both_cameras_to_their_own_grid(MapCrs crs)
    {
        var index = GridIndex.Load(BoundaryGrids.Drawn(crs), "gridId", crs);

        Assert.Equal(2, index.Count);
        Assert.Empty(index.Problems);
        Assert.Equal("grid-west", index.Locate(BoundaryGrids.WestCamera.Lat, BoundaryGrids.WestCamera.Lon));
        Assert.Equal("grid-east", index.Locate(BoundaryGrids.EastCamera.Lat, BoundaryGrids.EastCamera.Lon));
        // The shared border stays shared: a point on it is in the grid listed first, not in a gap or in both.
        Assert.Equal("grid-west", index.Locate(22.54, BoundaryGrids.BorderLon));
    }

    [Theory]
    [InlineData(MapCrs.Gcj02)]
    [InlineData(MapCrs.Bd09)]
    public void Read_as_wgs84_the_same_file_sends_the_eastern_camera_to_the_wrong_grid(MapCrs drawnIn)
    {
        var index = GridIndex.Load(BoundaryGrids.Drawn(drawnIn), "gridId");

        Assert.Equal("grid-west", index.Locate(BoundaryGrids.WestCamera.Lat, BoundaryGrids.WestCamera.Lon));
        Assert.Equal("grid-west", index.Locate(BoundaryGrids.EastCamera.Lat, BoundaryGrids.EastCamera.Lon));
    }

    [Fact]
    public void The_converted_border_lies_where_it_is_on_the_ground_to_well_under_a_metre()
    {
        // Between two vertices the drawn edge is straight in GCJ-02 and so very slightly bent in WGS84.
        var index = GridIndex.Load(BoundaryGrids.Drawn(MapCrs.Gcj02), "gridId", MapCrs.Gcj02);
        var halfMetre = 0.5 / (GeoPoint.MetresPerDegree * Math.Cos(22.54 * Math.PI / 180));

        for (var lat = BoundaryGrids.South + 0.001; lat < BoundaryGrids.North; lat += 0.0013)
        {
            Assert.Equal("grid-west", index.Locate(lat, BoundaryGrids.BorderLon - halfMetre));
            Assert.Equal("grid-east", index.Locate(lat, BoundaryGrids.BorderLon + halfMetre));
        }
    }
}
