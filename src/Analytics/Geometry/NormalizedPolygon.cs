using System.Numerics;

namespace Surveillance.Analytics.Geometry;

/// <summary>
/// A polygon in normalised image coordinates (0,0 top-left, 1,1 bottom-right), so it survives a change of
/// detect size. Written in configuration as <c>"x,y x,y x,y …"</c>; masks and zones are such polygons.
/// </summary>
public sealed class NormalizedPolygon
{
    public const string Format = "at least 3 points 'x,y' separated by spaces, each coordinate between 0 and 1";

    private readonly float[] _xs;
    private readonly float[] _ys;

    private NormalizedPolygon(float[] xs, float[] ys)
    {
        _xs = xs;
        _ys = ys;
    }

    public int Count => _xs.Length;

    public (float X, float Y) this[int index] => (_xs[index], _ys[index]);

    public static bool TryParse(string? text, out NormalizedPolygon polygon, out string error)
    {
        polygon = null!;
        if (!NormalizedPoints.TryParse(text, out var xs, out var ys, out error))
            return false;
        if (xs.Length < 3)
        {
            error = $"'{text}' is not a polygon: {Format}";
            return false;
        }
        polygon = new NormalizedPolygon(xs, ys);
        return true;
    }

    public static NormalizedPolygon Parse(string text) =>
        TryParse(text, out var polygon, out var error) ? polygon : throw new FormatException(error);

    /// <summary>Whether a normalised point lies inside (even-odd rule).</summary>
    public bool Contains(Vector2 point) => Contains(point.X, point.Y);

    /// <summary>
    /// Whether a normalised point lies inside (even-odd rule). A point exactly on an edge is inside on the edges
    /// facing up and left and outside on those facing down and right, so two zones sharing an edge never both hold it.
    /// </summary>
    public bool Contains(float x, float y)
    {
        var inside = false;
        for (int i = 0, j = _xs.Length - 1; i < _xs.Length; j = i++)
        {
            if ((_ys[i] > y) != (_ys[j] > y) && x < (_xs[j] - _xs[i]) * (y - _ys[i]) / (_ys[j] - _ys[i]) + _xs[i])
                inside = !inside;
        }
        return inside;
    }
}
