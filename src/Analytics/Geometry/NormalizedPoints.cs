using System.Globalization;

namespace Surveillance.Analytics.Geometry;

/// <summary>
/// Reads points written <c>"x,y x,y …"</c> in normalised image coordinates (0,0 top-left, 1,1 bottom-right):
/// the one syntax of masks, zones and lines in configuration.
/// </summary>
public static class NormalizedPoints
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
