using Surveillance.Geodesy;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// Two grids side by side in Shenzhen, <c>grid-west</c> and <c>grid-east</c>, 3 km wide each, their shared border
/// at <see cref="BorderLon"/> in WGS84, written as they are drawn on a map in a given coordinate system; and two
/// cameras 100 m either side of the border. Drawn in GCJ-02 the polygons lie about 500 m east and 340 m south of
/// where they are, in BD-09 about 1.2 km east and 330 m north: read as WGS84, both cameras fall in the western grid.
/// </summary>
public static class BoundaryGrids
{
    public const double South = 22.52, North = 22.56, West = 114.02, BorderLon = 114.05, East = 114.08;

    public static readonly GeoPoint WestCamera = new(22.54, BorderLon - 100 / (GeoPoint.MetresPerDegree * Math.Cos(22.54 * Math.PI / 180)));

    public static readonly GeoPoint EastCamera = new(22.54, BorderLon + 100 / (GeoPoint.MetresPerDegree * Math.Cos(22.54 * Math.PI / 180)));

    /// <summary>The GeoJSON of both grids with their corners (and points along the edges) in <paramref name="crs"/>.</summary>
    public static string Drawn(MapCrs crs) => GridFile.Generate(0, 0,
        GridFile.Polygon("grid-west", Ring(West, BorderLon, crs)),
        GridFile.Polygon("grid-east", Ring(BorderLon, East, crs)));

    /// <summary>A rectangle's ring with a vertex every 0.005° along each edge, as a map's drawing tool leaves them.</summary>
    private static (double Lon, double Lat)[] Ring(double west, double east, MapCrs crs)
    {
        var points = new List<GeoPoint>();
        const double step = 0.005;
        for (var lon = west; lon < east - 1e-9; lon += step)
            points.Add(new GeoPoint(South, lon));
        for (var lat = South; lat < North - 1e-9; lat += step)
            points.Add(new GeoPoint(lat, east));
        for (var lon = east; lon > west + 1e-9; lon -= step)
            points.Add(new GeoPoint(North, lon));
        for (var lat = North; lat > South + 1e-9; lat -= step)
            points.Add(new GeoPoint(lat, west));
        points.Add(points[0]);
        return [.. points.Select(p => FromWgs84(p, crs)).Select(p => (p.Lon, p.Lat))];
    }

    private static GeoPoint FromWgs84(GeoPoint wgs, MapCrs crs) => crs switch
    {
        MapCrs.Gcj02 => Gcj02.FromWgs84(wgs),
        MapCrs.Bd09 => Bd09.FromWgs84(wgs),
        _ => wgs,
    };
}
