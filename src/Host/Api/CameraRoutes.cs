using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Surveillance.Cameras.Control;

namespace Surveillance.Host.Api;

/// <summary>
/// <c>/api/cameras</c>: the node's cameras, to list and look at by the callers that may see their grid (a camera of
/// another grid is not there for a grid token), to change with an admin token.
/// </summary>
public static class CameraRoutes
{
    public static void Map(IEndpointRouteBuilder app, ICameraControl cameras)
    {
        var group = app.MapGroup("/api/cameras").WithTags("Cameras");
        var reads = group.MapGroup("").RequireAccess(RequiredAccess.Read);

        reads.MapGet("", (Caller caller) => TypedResults.Ok(cameras.List().Where(v => caller.MaySee(v.GridId)).ToList()))
            .WithName("ListCameras")
            .WithSummary("Every camera of the node that the caller may see, running or not, ordered by id");

        reads.MapGet("/{id}", Results<Ok<CameraDetails>, ProblemHttpResult> (string id, Caller caller) =>
                Visible(cameras, id, caller) is { } view ? TypedResults.Ok(CameraDetails.Of(view, cameras.Settings(id))) : UnknownCamera(id))
            .WithName("GetCamera")
            .WithSummary("One camera: its view and its settings (credentials redacted)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        reads.MapGet("/{id}/frame.jpg", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string id, Caller caller, HttpResponse response, CancellationToken cancellationToken) =>
            {
                // Looked up first: a camera of another grid must not cost its camera a frame, nor answer otherwise than an unknown one.
                if (Visible(cameras, id, caller) is null)
                    return UnknownCamera(id);
                if (await cameras.LatestFrameJpegAsync(id, cancellationToken) is { } jpeg)
                {
                    response.Headers.CacheControl = "no-store";
                    return TypedResults.File(jpeg, "image/jpeg");
                }
                return ApiProblems.NotFound($"camera '{id}' is not running or delivered no frame within a few seconds");
            })
            .WithName("GetCameraFrame")
            .WithSummary("The camera's latest decoded frame as a JPEG")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var writes = group.MapGroup("").RequireAccess(RequiredAccess.ChangeCameras);

        writes.MapPut("/{id}", async (string id, HttpRequest request, CancellationToken cancellationToken) =>
            {
                var body = await CameraRecordBody.ReadAsync(request, id, cancellationToken).ConfigureAwait(false);
                if (body.Error is { } error)
                    return ApiProblems.BadRequest(error);
                return Answer(id, await cameras.PutAsync(id, body.Record, cancellationToken).ConfigureAwait(false));
            })
            .WithName("PutCamera")
            .WithSummary("Adds the camera, or replaces its settings; written to the inventory file")
            .WithDescription($"The body is a JSON object with the keys of an inventory record (Id, Name, Url, Kind, …), at most {CameraRecordBody.MaxBytes} bytes. Its Id, if any, must be the one in the path.")
            .Accepts<JsonObject>("application/json")
            .Produces<CameraView>(StatusCodes.Status201Created)
            .Produces<CameraView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        writes.MapDelete("/{id}", async (string id, CancellationToken cancellationToken) =>
                Answer(id, await cameras.DeleteAsync(id, cancellationToken).ConfigureAwait(false)))
            .WithName("DeleteCamera")
            .WithSummary("Removes the camera from the inventory and stops it")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        writes.MapPost("/{id}/enable", async (string id, CancellationToken cancellationToken) =>
                Answer(id, await cameras.SetEnabledAsync(id, true, cancellationToken).ConfigureAwait(false)))
            .WithName("EnableCamera")
            .WithSummary("Starts analysing the camera again")
            .Produces<CameraView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        writes.MapPost("/{id}/disable", async (string id, CancellationToken cancellationToken) =>
                Answer(id, await cameras.SetEnabledAsync(id, false, cancellationToken).ConfigureAwait(false)))
            .WithName("DisableCamera")
            .WithSummary("Stops analysing the camera, keeping it in the inventory")
            .Produces<CameraView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        IResult Answer(string id, CameraWrite write) => write.Outcome switch
        {
            CameraWriteOutcome.Created => TypedResults.Created(Location(id), cameras.Find(id)),
            CameraWriteOutcome.Replaced or CameraWriteOutcome.Updated or CameraWriteOutcome.Unchanged => TypedResults.Ok(cameras.Find(id)),
            CameraWriteOutcome.Deleted => TypedResults.Ok(),
            CameraWriteOutcome.NotFound => UnknownCamera(id),
            CameraWriteOutcome.Invalid => ApiProblems.BadRequest($"the record of camera '{id}' was refused", write.Errors),
            CameraWriteOutcome.Conflict => ApiProblems.Conflict(write.Errors.Count > 0 ? string.Join("; ", write.Errors) : $"camera '{id}' cannot be changed here"),
            _ => throw new InvalidOperationException($"unexpected outcome {write.Outcome}"),
        };
    }

    /// <summary>The camera, if it exists and the caller may see its grid; null otherwise, which the caller cannot tell apart.</summary>
    public static CameraView? Visible(ICameraControl cameras, string id, Caller caller) =>
        cameras.Find(id) is { } view && caller.MaySee(view.GridId) ? view : null;

    private static string Location(string id) => $"/api/cameras/{Uri.EscapeDataString(id)}";

    public static ProblemHttpResult UnknownCamera(string id) => ApiProblems.NotFound($"no camera '{id}' on this node");
}
