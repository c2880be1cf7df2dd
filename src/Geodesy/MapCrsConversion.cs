namespace Surveillance.Geodesy;

public static class MapCrsConversion
{
    /// <summary>The WGS84 position of a point given in <paramref name="crs"/>.</summary>
    public static GeoPoint ToWgs84(this MapCrs crs, GeoPoint point) => crs switch
    {
        MapCrs.Gcj02 => Gcj02.ToWgs84(point),
        MapCrs.Bd09 => Bd09.ToWgs84(point),
        _ => point,
    };
}
