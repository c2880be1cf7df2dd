using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Surveillance.Alerts.Reviews;
using Surveillance.Cameras.Control;

namespace Surveillance.Host.Api;

/// <summary>Mutes: a rule silenced on a camera for some minutes (it opens no event there meanwhile); scoped by the camera's grid.</summary>
public static class MuteRoutes
{
    public const double MaxMinutes = 7 * 24 * 60;

    public static void Map(IEndpointRouteBuilder app, ReviewBook reviews, ICameraControl cameras, TimeProvider time)
    {
        app.MapGet("/api/mutes", (Caller caller) => TypedResults.Json(
                (IReadOnlyList<Mute>)[.. reviews.Mutes.Current().Where(m => caller.MaySee(m.GridId))], ReviewJson.MutesInfo))
            .WithTags("Mutes")
            .RequireAccess(RequiredAccess.Read)
            .WithName("ListMutes")
            .WithSummary("The mutes in force on the cameras the caller may see")
            .Produces<IReadOnlyList<Mute>>();

        var group = app.MapGroup("/api/cameras/{id}/mutes").WithTags("Mutes").RequireAccess(RequiredAccess.Review);

        group.MapPost("", async Task<IResult> (string id, Caller caller, HttpRequest request, CancellationToken cancellationToken) =>
            {
                if (CameraRoutes.Visible(cameras, id, caller) is not { } camera)
                    return CameraRoutes.UnknownCamera(id);
                var (body, error) = await ReviewActionBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
                if (body is null)
                    return ApiProblems.BadRequest(error!);
                if (string.IsNullOrWhiteSpace(body.Rule))
                    return ApiProblems.BadRequest("rule: is required (the name of the camera's rule to mute)");
                if (body.Minutes is not { } minutes || double.IsNaN(minutes) || minutes <= 0 || minutes > MaxMinutes)
                    return ApiProblems.BadRequest($"minutes: must be greater than 0 and at most {MaxMinutes} (7 days)");
                var now = time.GetUtcNow().UtcDateTime;
                var mute = new Mute(camera.Id, camera.GridId ?? "", body.Rule, now.AddMinutes(minutes), caller.TokenName!, body.Comment, now);
                reviews.Mutes.Add(mute);
                return TypedResults.Json(mute, ReviewJson.MuteInfo);
            })
            .WithName("MuteRule")
            .WithSummary("Mutes a rule on the camera for some minutes: it opens no event there meanwhile")
            .WithDescription("Body: { \"rule\", \"minutes\", \"comment\"? }. A mute of the same rule replaces the one in force.")
            .Produces<Mute>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{rule}", IResult (string id, string rule, Caller caller) =>
            {
                if (CameraRoutes.Visible(cameras, id, caller) is null)
                    return CameraRoutes.UnknownCamera(id);
                return reviews.Mutes.Remove(id, rule) ? TypedResults.Ok() : ApiProblems.NotFound($"rule '{rule}' is not muted on camera '{id}'");
            })
            .WithName("UnmuteRule")
            .WithSummary("Ends a mute before its time")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
