using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Surveillance.Alerts.Reviews;

namespace Surveillance.Host.Api;

/// <summary>
/// <c>GET /api/stream</c>: server-sent events, <c>event: review</c> with the item each time one the caller may see
/// is created or changes, and a <c>: keep-alive</c> comment every <see cref="ReviewOptions.StreamKeepAlive"/>.
/// A subscriber that does not keep up is dropped (its stream ends) rather than buffered without bound.
/// </summary>
public static class StreamRoute
{
    public static void Map(IEndpointRouteBuilder app, ReviewBook reviews, ReviewOptions options)
    {
        app.MapGet("/api/stream", async (Caller caller, HttpResponse response, IHostApplicationLifetime lifetime, CancellationToken requestAborted) =>
            {
                using var subscription = reviews.Feed.Subscribe(caller.MaySee);
                using var ends = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
                response.ContentType = "text/event-stream";
                response.Headers.CacheControl = "no-store";
                response.Headers["X-Accel-Buffering"] = "no";
                try
                {
                    // At once, so that a client knows it is subscribed before anything happens.
                    await WriteAsync(response, ": keep-alive\n\n", ends.Token).ConfigureAwait(false);
                    while (true)
                    {
                        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ends.Token);
                        wait.CancelAfter(options.StreamKeepAlive);
                        bool more;
                        try
                        {
                            more = await subscription.Items.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!ends.IsCancellationRequested)
                        {
                            await WriteAsync(response, ": keep-alive\n\n", ends.Token).ConfigureAwait(false);
                            continue;
                        }
                        if (!more)
                            return;
                        var text = new StringBuilder();
                        while (subscription.Items.TryRead(out var item))
                            text.Append("event: review\ndata: ").Append(ReviewJson.ToText(item)).Append("\n\n");
                        await WriteAsync(response, text.ToString(), ends.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (ends.IsCancellationRequested)
                {
                    // The client went away, or the engine stops.
                }
            })
            .WithTags("Reviews")
            .RequireAccess(RequiredAccess.Read)
            .WithName("StreamReviews")
            .WithSummary("Server-sent events: each review item the caller may see, when it is created or changes")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
