using System.Numerics;
using OpenCvSharp;
using Surveillance.Analytics.Geometry;

namespace Surveillance.Analytics.Scene;

/// <summary>
/// Areas of a camera's picture to ignore (<c>Cameras:N:Masks</c>): motion there does not wake the detector
/// and objects standing there are not reported.
/// </summary>
public sealed class SceneMask
{
    private readonly NormalizedPolygon[] _polygons;

    public SceneMask(IEnumerable<NormalizedPolygon> polygons)
    {
        _polygons = [.. polygons];
    }

    public static SceneMask None { get; } = new([]);

    public bool IsEmpty => _polygons.Length == 0;

    /// <summary>Whether a normalised point lies in a masked area.</summary>
    public bool Covers(Vector2 point)
    {
        foreach (var polygon in _polygons)
        {
            if (polygon.Contains(point))
                return true;
        }
        return false;
    }

    /// <summary>A single-channel image of the given size: 255 where motion counts, 0 where it is masked.</summary>
    public Mat RenderWatched(int width, int height)
    {
        var watched = new Mat(height, width, MatType.CV_8UC1, Scalar.All(255));
        foreach (var polygon in _polygons)
        {
            var points = new Point[polygon.Count];
            for (var i = 0; i < polygon.Count; i++)
            {
                var (x, y) = polygon[i];
                points[i] = new Point((int)Math.Round(x * width), (int)Math.Round(y * height));
            }
            Cv2.FillPoly(watched, [points], Scalar.All(0));
        }
        return watched;
    }
}
