using System.Globalization;

namespace Surveillance.Alerts.Rules;

/// <summary>
/// A zone's outline in normalised image coordinates (0,0 top-left, 1,1 bottom-right), written
/// <c>"x,y x,y x,y …"</c>. Normalised, so a zone survives a change of detect size.
/// </summary>
public sealed class ZonePolygon
{
    public const string Format = "at least 3 points 'x,y' separated by spaces, each coordinate between 0 and 1";

    private readonly float[] _xs;
    private readonly float[] _ys;

    private ZonePolygon(float[] xs, float[] ys)
    {
        _xs = xs;
        _ys = ys;
    }

    public static bool TryParse(string? text, out ZonePolygon polygon, out string error)
    {
        polygon = null!;
        if (!NormalizedPoints.TryParse(text, out var xs, out var ys, out error))
            return false;
        if (xs.Length < 3)
        {
            error = $"'{text}' is not a polygon: {Format}";
            return false;
        }
        polygon = new ZonePolygon(xs, ys);
        return true;
    }

    public static ZonePolygon Parse(string text) =>
        TryParse(text, out var polygon, out var error) ? polygon : throw new FormatException(error);

    /// <summary>Whether a normalised point lies inside (even-odd rule).</summary>
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

/// <summary>Reads <c>"x,y x,y …"</c> with coordinates between 0 and 1.</summary>
internal static class NormalizedPoints
{
    public static bool TryParse(string? text, out float[] xs, out float[] ys, out string error)
    {
        var parts = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        xs = new float[parts.Length];
        ys = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var xy = parts[i].Split(',');
            if (xy.Length != 2
                || !float.TryParse(xy[0], NumberStyles.Float, CultureInfo.InvariantCulture, out xs[i])
                || !float.TryParse(xy[1], NumberStyles.Float, CultureInfo.InvariantCulture, out ys[i])
                || xs[i] is < 0 or > 1 || ys[i] is < 0 or > 1)
            {
                error = $"point '{parts[i]}' is not 'x,y' with both coordinates between 0 and 1";
                return false;
            }
        }
        error = "";
        return true;
    }
}
