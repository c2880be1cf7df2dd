namespace Surveillance.Geodesy;

/// <summary>
/// BD-09, the coordinates of Baidu Maps: GCJ-02 (<see cref="Gcj02"/>) turned and stretched a little more about the
/// origin, plus a fixed shift of about 900 m north-east. The forward step is the published one; its usual closed
/// inverse is only good to a metre or so, so <see cref="ToGcj02"/> refines it by fixed-point iteration.
/// </summary>
public static class Bd09
{
    private const double XPi = Math.PI * 3000.0 / 180.0;
    private const double ShiftLon = 0.0065;
    private const double ShiftLat = 0.006;

    /// <summary>The BD-09 coordinates of a GCJ-02 position.</summary>
    public static GeoPoint FromGcj02(GeoPoint gcj)
    {
        double x = gcj.Lon, y = gcj.Lat;
        var z = Math.Sqrt(x * x + y * y) + 0.00002 * Math.Sin(y * XPi);
        var theta = Math.Atan2(y, x) + 0.000003 * Math.Cos(x * XPi);
        return new GeoPoint(z * Math.Sin(theta) + ShiftLat, z * Math.Cos(theta) + ShiftLon);
    }

    /// <summary>The GCJ-02 position whose BD-09 coordinates are <paramref name="bd"/>, to well under a centimetre.</summary>
    public static GeoPoint ToGcj02(GeoPoint bd)
    {
        return ShiftInverse.Solve(FromGcj02, bd, ApproximateGcj02(bd));
    }

    /// <summary>The BD-09 coordinates of a WGS84 position.</summary>
    public static GeoPoint FromWgs84(GeoPoint wgs) => FromGcj02(Gcj02.FromWgs84(wgs));

    /// <summary>The WGS84 position whose BD-09 coordinates are <paramref name="bd"/>.</summary>
    public static GeoPoint ToWgs84(GeoPoint bd) => Gcj02.ToWgs84(ToGcj02(bd));

    /// <summary>The widely used one-step inverse: undo the shift, then the turn and stretch as seen from the BD-09 point.</summary>
    private static GeoPoint ApproximateGcj02(GeoPoint bd)
    {
        double x = bd.Lon - ShiftLon, y = bd.Lat - ShiftLat;
        var z = Math.Sqrt(x * x + y * y) - 0.00002 * Math.Sin(y * XPi);
        var theta = Math.Atan2(y, x) - 0.000003 * Math.Cos(x * XPi);
        return new GeoPoint(z * Math.Sin(theta), z * Math.Cos(theta));
    }
}
