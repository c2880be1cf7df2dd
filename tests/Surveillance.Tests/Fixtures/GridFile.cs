using System.Globalization;
using System.Text;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// A generated grid file: <paramref name="columns"/> × <paramref name="rows"/> square grids of
/// <see cref="CellDegrees"/> side from (<see cref="Lat0"/>, <see cref="Lon0"/>), ids <c>G-{row}-{col}</c>,
/// listed row by row, plus whatever extra features a test appends.
/// </summary>
public static class GridFile
{
    public const double Lat0 = 22.50;
    public const double Lon0 = 114.00;
    public const double CellDegrees = 0.002;

    public static string Generate(int columns, int rows, params string[] extraFeatures)
    {
        var features = new List<string>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                // Each edge from the same index, so that neighbours share it exactly.
                double south = Lat0 + r * CellDegrees, west = Lon0 + c * CellDegrees;
                double north = Lat0 + (r + 1) * CellDegrees, east = Lon0 + (c + 1) * CellDegrees;
                features.Add(Polygon($"G-{r}-{c}", [(west, south), (east, south), (east, north), (west, north), (west, south)]));
            }
        }
        features.AddRange(extraFeatures);
        return $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""";
    }

    /// <param name="name">The grid's name; "grid {id}" unless given.</param>
    public static string Polygon(string? id, (double Lon, double Lat)[] ring, string? name = null)
    {
        var coordinates = string.Join(",", ring.Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.Lon},{p.Lat}]")));
        var properties = id is null ? "{}" : $$"""{"gridId":"{{id}}","name":"{{name ?? $"grid {id}"}}"}""";
        return $$$"""{"type":"Feature","properties":{{{properties}}},"geometry":{"type":"Polygon","coordinates":[[{{{coordinates}}}]]}}""";
    }

    /// <summary>The centre of grid (row, col).</summary>
    public static (double Lat, double Lon) Centre(int row, int col) =>
        (Lat0 + (row + 0.5) * CellDegrees, Lon0 + (col + 0.5) * CellDegrees);
}
