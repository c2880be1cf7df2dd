using System.Globalization;
using BenchmarkDotNet.Attributes;
using Surveillance.Alerts.Dispatch;

namespace Surveillance.Benchmarks;

/// <summary>
/// Which grid holds a point, among 1,200 (40 × 30 squares) and 10,000 (100 × 100) grids; the point list
/// mixes points inside, on borders and outside.
/// </summary>
[MemoryDiagnoser]
public class GridLookupBenchmarks
{
    private const double Lat0 = 22.5, Lon0 = 114.0, Cell = 0.002;

    private GridIndex _index = null!;
    private (double Lat, double Lon)[] _points = [];
    private int _next;

    [Params(1_200, 10_000)]
    public int Grids { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (columns, rows) = Grids == 1_200 ? (40, 30) : (100, 100);
        var features = new List<string>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                double s = Lat0 + r * Cell, w = Lon0 + c * Cell, n = Lat0 + (r + 1) * Cell, e = Lon0 + (c + 1) * Cell;
                features.Add(string.Create(CultureInfo.InvariantCulture,
                    $$$"""{"type":"Feature","properties":{"gridId":"G-{{{r}}}-{{{c}}}"},"geometry":{"type":"Polygon","coordinates":[[[{{{w}}},{{{s}}}],[{{{e}}},{{{s}}}],[{{{e}}},{{{n}}}],[{{{w}}},{{{n}}}],[{{{w}}},{{{s}}}]]]}}"""));
            }
        }
        _index = GridIndex.Load($$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""", "gridId");
        var random = new Random(1);
        _points = [.. Enumerable.Range(0, 1024).Select(_ => (Lat0 - Cell + random.NextDouble() * (rows + 2) * Cell, Lon0 - Cell + random.NextDouble() * (columns + 2) * Cell))];
    }

    [Benchmark(Description = "grid of a point")]
    public string? Locate()
    {
        var (lat, lon) = _points[_next++ & 1023];
        return _index.Locate(lat, lon);
    }
}
