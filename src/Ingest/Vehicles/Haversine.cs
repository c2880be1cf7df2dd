namespace Surveillance.Ingest.Vehicles;

/// <summary>Great-circle distance on a spherical Earth: within a few metres per 10 km, which dispatch needs.</summary>
public static class Haversine
{
    private const double EarthRadiusMetres = 6_371_008.8;

    public static double DistanceMetres(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
              + Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
