using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO.Converters;
using Surveillance.Geodesy;

namespace Surveillance.Alerts.Dispatch;

/// <summary>
/// Grid polygons in an R-tree (STR-packed) of prepared geometries: a point query touches only the few grids
/// whose bounding boxes hold the point, then tests containment on prepared shapes, so thousands of grids answer
/// in microseconds. A point on the border of two grids belongs to the one listed first in the file.
/// </summary>
public sealed class GridIndex
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(Factory) } };

    private readonly STRtree<Grid> _tree;

    private GridIndex(STRtree<Grid> tree, IReadOnlyList<GridShape> shapes, IReadOnlyList<string> problems)
    {
        _tree = tree;
        Shapes = shapes;
        Problems = problems;
    }

    public int Count => Shapes.Count;

    /// <summary>The grids loaded, in the file's order.</summary>
    public IReadOnlyList<GridShape> Shapes { get; }

    /// <summary>Features that were skipped, each naming its index in the file and why.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>
    /// Reads a GeoJSON FeatureCollection whose coordinates are in <paramref name="crs"/> and keeps its polygons in
    /// WGS84, the system of GPS and of the cameras' positions; invalid features are reported and skipped, not fatal.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a GeoJSON FeatureCollection at all.</exception>
    public static GridIndex Load(string json, string idProperty, MapCrs crs = MapCrs.Wgs84)
    {
        NetTopologySuite.Features.FeatureCollection? features;
        try
        {
            features = JsonSerializer.Deserialize<NetTopologySuite.Features.FeatureCollection>(json, GeoJson);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a GeoJSON FeatureCollection: {e.Message}", e);
        }
        if (features is null)
            throw new InvalidDataException("not a GeoJSON FeatureCollection");

        // Every vertex is moved by the same function, so neighbours that share an edge in the file still share it.
        if (crs != MapCrs.Wgs84)
        {
            var toWgs84 = new ToWgs84Filter(crs);
            foreach (var feature in features)
                feature.Geometry?.Apply(toWgs84);
        }

        var tree = new STRtree<Grid>();
        var problems = new List<string>();
        var shapes = new List<GridShape>();
        for (var i = 0; i < features.Count; i++)
        {
            var feature = features[i];
            var id = feature.Attributes?.Exists(idProperty) == true ? feature.Attributes[idProperty]?.ToString() : null;
            var geometry = feature.Geometry;
            string? problem = null;
            if (string.IsNullOrWhiteSpace(id))
                problem = $"has no '{idProperty}' property";
            else if (geometry is not (Polygon or MultiPolygon))
                problem = $"grid '{id}' is a {geometry?.GeometryType ?? "missing geometry"}, not a Polygon or MultiPolygon";
            else if (!geometry.IsValid)
                problem = $"grid '{id}' is not a valid polygon ({new NetTopologySuite.Operation.Valid.IsValidOp(geometry).ValidationError?.Message})";
            if (problem is not null)
            {
                problems.Add($"feature {i}: {problem}");
                continue;
            }
            tree.Insert(geometry!.EnvelopeInternal, new Grid(id!, PreparedGeometryFactory.Prepare(geometry), i));
            var name = feature.Attributes!.Exists("name") ? feature.Attributes["name"]?.ToString() : null;
            shapes.Add(new GridShape(id!, name, geometry));
        }
        tree.Build();
        return new GridIndex(tree, shapes, problems);
    }

    /// <summary>The id of the grid containing the point (its border included), or null.</summary>
    public string? Locate(double lat, double lon)
    {
        var point = Factory.CreatePoint(new Coordinate(lon, lat));
        Grid? best = null;
        foreach (var grid in _tree.Query(point.EnvelopeInternal))
        {
            if ((best is null || grid.Order < best.Order) && grid.Shape.Covers(point))
                best = grid;
        }
        return best?.Id;
    }

    private sealed record Grid(string Id, IPreparedGeometry Shape, int Order);
}
