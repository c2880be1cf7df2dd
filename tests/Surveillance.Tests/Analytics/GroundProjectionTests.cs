using Surveillance.Analytics.Geo;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Analytics;

/// <summary>
/// A synthetic camera looking down at a street: a known homography from image to ground (in metres east and
/// north of a point) generates the reference points; the fitted projection must put other image points where
/// that homography does.
/// </summary>
public sealed class GroundProjectionTests
{
    private const double Lat0 = 22.5431, Lon0 = 114.0579;
    private const double MetresPerDegreeLat = 6_371_008.8 * Math.PI / 180;

    /// <summary>The true camera: perspective, so the far side of the image covers more ground than the near side.</summary>
    private static (double Lat, double Lon) Truth(double x, double y)
    {
        double[] h = [60, 12, -30, -5, -80, 70, 0.2, 1.5, 1];
        var w = h[6] * x + h[7] * y + h[8];
        var east = (h[0] * x + h[1] * y + h[2]) / w;
        var north = (h[3] * x + h[4] * y + h[5]) / w;
        return (Lat0 + north / MetresPerDegreeLat, Lon0 + east / (MetresPerDegreeLat * Math.Cos(Lat0 * Math.PI / 180)));
    }

    private static (double, double, double, double) Reference(double x, double y)
    {
        var (lat, lon) = Truth(x, y);
        return (x, y, lat, lon);
    }

    [Fact]
    public void Known_correspondences_map_back_within_half_a_metre()
    {
        var projection = GroundProjection.Fit([Reference(0.1, 0.9), Reference(0.9, 0.9), Reference(0.8, 0.4), Reference(0.2, 0.4), Reference(0.5, 0.6), Reference(0.5, 0.3)]);
        Assert.True(projection.RmsErrorMetres < 0.01, $"fit error {projection.RmsErrorMetres} m");

        for (var x = 0.05; x < 1; x += 0.15)
        {
            for (var y = 0.3; y < 1; y += 0.1)
            {
                var (lat, lon) = projection.Project(x, y);
                var (trueLat, trueLon) = Truth(x, y);
                var error = Geo.DistanceMetres(lat, lon, trueLat, trueLon);
                Assert.True(error < 0.5, $"({x:0.00}, {y:0.00}) projected {error:0.000} m from the truth");
            }
        }
    }

    [Fact]
    public void A_reference_point_surveyed_wrong_shows_as_a_large_fit_error()
    {
        var wrong = Reference(0.5, 0.6);
        wrong.Item3 += 30 / MetresPerDegreeLat; // 30 m north of where it is
        var projection = GroundProjection.Fit([Reference(0.1, 0.9), Reference(0.9, 0.9), Reference(0.8, 0.4), Reference(0.2, 0.4), wrong, Reference(0.5, 0.3)]);
        Assert.True(projection.RmsErrorMetres > 2, $"fit error {projection.RmsErrorMetres} m");
    }

    [Fact]
    public void Points_on_one_line_fix_no_plane()
    {
        Assert.Throws<ArgumentException>(() => GroundProjection.Fit([Reference(0.1, 0.5), Reference(0.3, 0.5), Reference(0.6, 0.5), Reference(0.9, 0.5)]));
        Assert.Throws<ArgumentException>(() => GroundProjection.Fit([Reference(0.1, 0.5), Reference(0.3, 0.5), Reference(0.6, 0.5)]));
    }
}
