using OpenCvSharp;
using Surveillance.Geodesy;

namespace Surveillance.Analytics.Geo;

/// <summary>
/// Maps image positions of a fixed camera to WGS84 on the ground plane, through a homography fitted
/// (OpenCV, least squares) to surveyed reference points. Fitting happens in metres on a local tangent plane
/// around the points, so the fit error reads in metres and the projection is accurate over a camera's view.
/// </summary>
public sealed class GroundProjection
{
    private readonly double[] _h;
    private readonly double _lat0;
    private readonly double _lon0;
    private readonly double _metresPerDegreeLon;
    private const double MetresPerDegreeLat = GeoPoint.MetresPerDegree;

    private GroundProjection(double[] h, double lat0, double lon0, double rmsErrorMetres)
    {
        _h = h;
        _lat0 = lat0;
        _lon0 = lon0;
        _metresPerDegreeLon = MetresPerDegreeLat * Math.Cos(GeoPoint.Radians(lat0));
        RmsErrorMetres = rmsErrorMetres;
    }

    /// <summary>How far, root-mean-square, the reference points lie from where the fitted plane puts them.</summary>
    public double RmsErrorMetres { get; }

    /// <param name="points">Image (X, Y normalised 0..1) and ground (Lat, Lon) of each reference point; at least four.</param>
    /// <exception cref="ArgumentException">Fewer than four points, or points that fix no plane (e.g. all on one line).</exception>
    public static GroundProjection Fit(IReadOnlyList<(double X, double Y, double Lat, double Lon)> points)
    {
        if (points.Count < 4)
            throw new ArgumentException($"A ground projection needs at least 4 reference points, got {points.Count}.", nameof(points));

        var lat0 = points.Average(p => p.Lat);
        var lon0 = points.Average(p => p.Lon);
        var metresPerDegreeLon = MetresPerDegreeLat * Math.Cos(GeoPoint.Radians(lat0));
        var image = points.Select(p => new Point2d(p.X, p.Y)).ToArray();
        var ground = points.Select(p => new Point2d((p.Lon - lon0) * metresPerDegreeLon, (p.Lat - lat0) * MetresPerDegreeLat)).ToArray();

        using var homography = Cv2.FindHomography(image, ground, HomographyMethods.None);
        if (homography.Empty())
            throw new ArgumentException("The reference points do not determine a ground plane (are three of them on one line?).", nameof(points));
        var h = new double[9];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
                h[r * 3 + c] = homography.At<double>(r, c);
        }

        var projection = new GroundProjection(h, lat0, lon0, 0);
        var squared = 0.0;
        for (var i = 0; i < image.Length; i++)
        {
            var (east, north) = projection.ToPlane(image[i].X, image[i].Y);
            squared += Math.Pow(east - ground[i].X, 2) + Math.Pow(north - ground[i].Y, 2);
        }
        return new GroundProjection(h, lat0, lon0, Math.Sqrt(squared / image.Length));
    }

    /// <summary>The ground position seen at image position (x, y), normalised 0..1.</summary>
    public GeoPoint Project(double x, double y)
    {
        var (east, north) = ToPlane(x, y);
        return new(_lat0 + north / MetresPerDegreeLat, _lon0 + east / _metresPerDegreeLon);
    }

    private (double East, double North) ToPlane(double x, double y)
    {
        var w = _h[6] * x + _h[7] * y + _h[8];
        return ((_h[0] * x + _h[1] * y + _h[2]) / w, (_h[3] * x + _h[4] * y + _h[5]) / w);
    }
}
