namespace Surveillance.Geodesy;

/// <summary>
/// GCJ-02, the datum of the maps published in mainland China (Gaode/Amap, Tencent, Google Maps inside China): WGS84
/// shifted by a smooth offset of a few hundred metres, defined on the Krasovsky 1940 ellipsoid. The forward offset
/// is the widely published one; it has no closed inverse, so <see cref="ToWgs84"/> solves for it by fixed-point
/// iteration. Outside the rough bounding box of China the maps use plain WGS84, and nothing is shifted.
/// </summary>
public static class Gcj02
{
    // Krasovsky 1940: semi-major axis and first eccentricity squared.
    private const double SemiMajorAxis = 6_378_245.0;
    private const double EccentricitySquared = 0.00669342162296594323;

    /// <summary>Whether the point lies outside the box in which the offset is applied.</summary>
    public static bool IsOutsideChina(double lat, double lon) =>
        lon is < 72.004 or > 137.8347 || lat is < 0.8293 or > 55.8271;

    /// <summary>The GCJ-02 coordinates of a WGS84 position.</summary>
    public static GeoPoint FromWgs84(GeoPoint wgs)
    {
        if (IsOutsideChina(wgs.Lat, wgs.Lon))
            return wgs;
        var (dLat, dLon) = Offset(wgs.Lat, wgs.Lon);
        return new GeoPoint(wgs.Lat + dLat, wgs.Lon + dLon);
    }

    /// <summary>The WGS84 position whose GCJ-02 coordinates are <paramref name="gcj"/>, to well under a centimetre.</summary>
    public static GeoPoint ToWgs84(GeoPoint gcj)
    {
        if (IsOutsideChina(gcj.Lat, gcj.Lon))
            return gcj;
        // The offset changes by a few thousandths of a degree per degree.
        return ShiftInverse.Solve(FromWgs84, gcj, gcj);
    }

    /// <summary>The offset in degrees at a WGS84 position: the published polynomial-and-sine field, scaled by the ellipsoid's radii of curvature.</summary>
    private static (double DLat, double DLon) Offset(double lat, double lon)
    {
        double x = lon - 105.0, y = lat - 35.0;
        var north = LatitudeField(x, y);
        var east = LongitudeField(x, y);
        var radLat = lat / 180.0 * Math.PI;
        var w = 1 - EccentricitySquared * Math.Sin(radLat) * Math.Sin(radLat);
        var sqrtW = Math.Sqrt(w);
        var meridianRadius = SemiMajorAxis * (1 - EccentricitySquared) / (w * sqrtW);
        var primeVerticalRadius = SemiMajorAxis / sqrtW;
        return (north * 180.0 / (meridianRadius * Math.PI),
                east * 180.0 / (primeVerticalRadius * Math.Cos(radLat) * Math.PI));
    }

    private static double LatitudeField(double x, double y)
    {
        var value = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        value += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        value += (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        value += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        return value;
    }

    private static double LongitudeField(double x, double y)
    {
        var value = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        value += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        value += (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        value += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        return value;
    }
}
