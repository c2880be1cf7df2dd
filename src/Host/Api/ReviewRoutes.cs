using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Surveillance.Alerts.Reviews;

namespace Surveillance.Host.Api;

/// <summary><c>/api/reviews</c>: one item per incident on a camera, to list, look at and work (acknowledge, assign, close); scoped by grid.</summary>
public static class ReviewRoutes
{
    public static void Map(IEndpointRouteBuilder app, ReviewBook reviews)
    {
        var group = app.MapGroup("/api/reviews").WithTags("Reviews");
        var reads = group.MapGroup("").RequireAccess(RequiredAccess.Read);

        reads.MapGet("", IResult (Caller caller, string? grid, string? camera, string? severity, string? rule, string? state, string? since, int? limit) =>
            {
                var query = ListFilter.Of(caller, grid, camera, severity, rule, state, since, limit, out var error);
                if (error is not null)
                    return ApiProblems.BadRequest(error);
                return TypedResults.Json(query is null ? [] : reviews.Store.Items(query), ReviewJson.ItemsInfo);
            })
            .WithName("ListReviews")
            .WithSummary("The review items the caller may see, newest first")
            .WithDescription($"Filters: grid, camera, severity (the item's highest), rule (one of the item's), state, since (ISO-8601: started at or after), limit (default {ListFilter.DefaultLimit}, at most {ListFilter.MaxLimit}).")
            .Produces<IReadOnlyList<ReviewItem>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        reads.MapGet("/{id}", IResult (string id, Caller caller) =>
                Visible(reviews, id, caller) is { } item ? TypedResults.Json(item, ReviewJson.ItemInfo) : UnknownItem(id))
            .WithName("GetReview")
            .WithSummary("One review item with its history")
            .Produces<ReviewItem>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        reads.MapGet("/{id}/snapshot.jpg", IResult (string id, Caller caller) =>
            {
                if (Visible(reviews, id, caller) is not { } item)
                    return UnknownItem(id);
                return item.SnapshotEventId is { } eventId && reviews.Store.Snapshot(eventId) is { } jpeg
                    ? TypedResults.File(jpeg, "image/jpeg")
                    : ApiProblems.NotFound($"review item '{id}' has no snapshot yet (one comes with the end of each of its events)");
            })
            .WithName("GetReviewSnapshot")
            .WithSummary("The best snapshot among the item's events")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var actions = group.MapGroup("").RequireAccess(RequiredAccess.Review);
        MapAction(actions, reviews, "acknowledge", "AcknowledgeReview", "Marks the item as seen", "{ \"comment\"? }",
            _ => (ReviewState.Acknowledged, null));
        MapAction(actions, reviews, "assign", "AssignReview", "Gives the item to someone", "{ \"assignee\", \"comment\"? }",
            body => string.IsNullOrWhiteSpace(body.Assignee) ? (null, "assignee: is required (who works the item)") : (ReviewState.Assigned, null));
        MapAction(actions, reviews, "close", "CloseReview", "Closes the item as handled or as a false alarm", "{ \"resolution\": \"handled\"|\"false-alarm\", \"comment\"? }",
            body => body.Resolution is ReviewState.Handled or ReviewState.FalseAlarm
                ? (body.Resolution, null)
                : (null, $"resolution: must be '{ReviewState.Handled}' or '{ReviewState.FalseAlarm}' (was {(body.Resolution is null ? "none" : $"'{body.Resolution}'")})"));
    }

    /// <param name="decide">The state the action leaves, or why the body does not allow it.</param>
    private static void MapAction(RouteGroupBuilder actions, ReviewBook reviews, string action, string name, string summary, string body,
        Func<ReviewActionBody, (string? State, string? Error)> decide)
    {
        actions.MapPost($"/{{id}}/{action}", async Task<IResult> (string id, Caller caller, HttpRequest request, CancellationToken cancellationToken) =>
            {
                // The item first: another grid's item is a 404 whatever the body says.
                if (Visible(reviews, id, caller) is null)
                    return UnknownItem(id);
                var (parsed, error) = await ReviewActionBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
                if (parsed is null)
                    return ApiProblems.BadRequest(error!);
                var (state, refused) = decide(parsed);
                if (state is null)
                    return ApiProblems.BadRequest(refused!);
                var item = reviews.Act(id, action, state, action == "assign" ? parsed.Assignee!.Trim() : null, caller.TokenName!, parsed.Comment, out var conflict);
                if (item is null)
                    return UnknownItem(id);
                return conflict is not null ? ApiProblems.Conflict(conflict) : TypedResults.Json(item, ReviewJson.ItemInfo);
            })
            .WithName(name)
            .WithSummary(summary)
            .WithDescription($"Body: {body}. Stored in the item's history with who did it, and published on {{prefix}}/reviews/{{gridId}}/{{cameraId}}.")
            .Produces<ReviewItem>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static ReviewItem? Visible(ReviewBook reviews, string id, Caller caller) =>
        reviews.Find(id) is { } item && caller.MaySee(item.GridId) ? item : null;

    private static IResult UnknownItem(string id) => ApiProblems.NotFound($"no review item '{id}' on this node");
}
