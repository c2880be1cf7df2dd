using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Surveillance.Alerts.Dispatch;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Host.Api;

/// <summary>
/// <c>GET /api/vehicles</c>: where the patrol vehicles this node tracks last reported they were, for the console's map;
/// a grid token sees those in its grid.
/// </summary>
public static class VehicleRoutes
{
    public static void Map(IEndpointRouteBuilder app, VehicleRegistry vehicles, GridMap grids)
    {
        app.MapGet("/api/vehicles", (Caller caller) => TypedResults.Ok(Positions(vehicles, grids).Where(v => caller.MaySee(v.GridId)).ToList()))
            .RequireAccess(RequiredAccess.Read)
            .WithName("ListVehicles")
            .WithTags("Vehicles")
            .WithSummary("The latest GPS fix of every patrol vehicle the node tracks, ordered by vehicle id")
            .WithDescription("Vehicles of the node's patrol cameras and those of Vehicles:Ids that have reported a position; 'at' is when the fix was measured, 'gridId' the grid containing it (null outside every grid). A grid token sees the vehicles inside its grid only.");
    }

    private static List<VehicleAnswer> Positions(VehicleRegistry vehicles, GridMap grids) =>
        [.. vehicles.LatestPositions().Select(p => new VehicleAnswer(p.VehicleId, p.Lat, p.Lon, p.FixTime, grids.Locate(p.Lat, p.Lon)))];
}
