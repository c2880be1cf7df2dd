using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Surveillance.Alerts.Reviews;

namespace Surveillance.Host.Api;

/// <summary><c>/api/events</c>: the node's events from its local store, each with its alerts as published and its snapshot; scoped by grid.</summary>
public static class EventRoutes
{
    public static void Map(IEndpointRouteBuilder app, ReviewBook reviews)
    {
        var store = reviews.Store;
        var group = app.MapGroup("/api/events").WithTags("Events").RequireAccess(RequiredAccess.Read);

        group.MapGet("", IResult (Caller caller, string? grid, string? camera, string? severity, string? rule, string? state, string? since, int? limit) =>
            {
                var query = ListFilter.Of(caller, grid, camera, severity, rule, state, since, limit, out var error);
                if (error is not null)
                    return ApiProblems.BadRequest(error);
                return TypedResults.Json(query is null ? [] : store.Events(query), ReviewJson.EventsInfo);
            })
            .WithName("ListEvents")
            .WithSummary("The events the caller may see, newest first, with the review state of each one's item")
            .WithDescription($"Filters: grid, camera, severity, rule, state (of the event's review item), since (ISO-8601: started at or after), limit (default {ListFilter.DefaultLimit}, at most {ListFilter.MaxLimit}).")
            .Produces<IReadOnlyList<EventView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{id}", IResult (string id, Caller caller) =>
            {
                if (Visible(store, id, caller) is not { } view)
                    return UnknownEvent(id);
                var json = JsonNode.Parse(ReviewJson.ToText(view))!.AsObject();
                json["alerts"] = new JsonArray([.. store.AlertsOf(id).Select(a => JsonNode.Parse(a))]);
                return TypedResults.Text(json.ToJsonString(), "application/json");
            })
            .WithName("GetEvent")
            .WithSummary("One event, with every alert of it exactly as published")
            .Produces<EventView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/snapshot.jpg", IResult (string id, Caller caller) =>
            {
                if (Visible(store, id, caller) is null)
                    return UnknownEvent(id);
                return store.Snapshot(id) is { } jpeg ? TypedResults.File(jpeg, "image/jpeg") : ApiProblems.NotFound($"event '{id}' has no snapshot (yet: it comes with the event's end)");
            })
            .WithName("GetEventSnapshot")
            .WithSummary("The event's snapshot: its best frame with the object drawn on it")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static EventView? Visible(EventStore store, string id, Caller caller) =>
        store.Events(new EventQuery(null, null, null, null, null, null, 1), id) is [var view] && caller.MaySee(view.GridId) ? view : null;

    private static IResult UnknownEvent(string id) => ApiProblems.NotFound($"no event '{id}' on this node");
}
