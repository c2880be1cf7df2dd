namespace Surveillance.Geodesy;

/// <summary>A WGS84 position in degrees, measured on a spherical Earth.</summary>
public readonly record struct GeoPoint(double Lat, double Lon)
{
    /// <summary>Mean Earth radius (IUGG): within a few metres per 10 km of the ellipsoid, which dispatch and ground projection need.</summary>
    public const double EarthRadiusMetres = 6_371_008.8;

    /// <summary>Length of one degree of latitude (and of longitude at the equator) on that sphere.</summary>
    public const double MetresPerDegree = EarthRadiusMetres * Math.PI / 180;

    /// <summary>Great-circle distance (haversine).</summary>
    public double DistanceMetres(in GeoPoint other)
    {
        var dLat = Radians(other.Lat - Lat);
        var dLon = Radians(other.Lon - Lon);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
              + Math.Cos(Radians(Lat)) * Math.Cos(Radians(other.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    public static double Radians(double degrees) => degrees * Math.PI / 180;
}
