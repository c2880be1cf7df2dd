using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;
using Surveillance.Alerts.Dispatch;

namespace Surveillance.Host.Api;

/// <summary><c>GET /api/grids</c>: the grid polygons in force (<c>Grids:File</c>) as GeoJSON, for the console's map; a grid token sees its own.</summary>
public static class GridRoutes
{
    public const string ContentType = "application/geo+json";

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    public static void Map(IEndpointRouteBuilder app, GridMap grids)
    {
        app.MapGet("/api/grids", (Caller caller) => TypedResults.Text(Write(grids.Shapes.Where(g => caller.MaySee(g.Id))), ContentType))
            .RequireAccess(RequiredAccess.Read)
            .WithName("ListGrids")
            .WithTags("Grids")
            .WithSummary("The grid polygons in force that the caller may see, as a GeoJSON FeatureCollection in WGS84")
            .WithDescription("One Polygon or MultiPolygon feature per grid, in the order of Grids:File, with the properties 'id' and 'name' (null where the file names none). Empty without a grid file; a grid token gets its own grid only.")
            .Produces(StatusCodes.Status200OK, contentType: ContentType);
    }

    private static string Write(IEnumerable<GridShape> shapes)
    {
        var collection = new FeatureCollection();
        foreach (var shape in shapes)
            collection.Add(new Feature(shape.Polygon, new AttributesTable { { "id", shape.Id }, { "name", shape.Name } }));
        return JsonSerializer.Serialize(collection, GeoJson);
    }
}
